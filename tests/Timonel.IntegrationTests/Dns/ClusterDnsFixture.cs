using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Timonel.Agent.Kubelet.Node;
using Timonel.Testing;

namespace Timonel.IntegrationTests.Dns;

/// <summary>
/// <c>timonel server --simulated-nodes 1</c> with its cluster DNS on this machine's primary address and a port of its
/// own, forwarding to a tiny resolver the fixture runs on 127.0.0.77:53 (it knows only upstream.test), so nothing
/// leaves the machine.
/// </summary>
public sealed class ClusterDnsFixture : IAsyncLifetime, IDisposable
{
    public const string UpstreamName = "upstream.test";
    public static readonly IPAddress UpstreamAnswer = IPAddress.Parse("192.0.2.99");
    private static readonly IPAddress _upstreamAddress = IPAddress.Parse("127.0.0.77");
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-dns-" + Guid.NewGuid().ToString("N")[..10]);
    private ServerProcess? _server;
    private DnsServer? _upstream;

    public string? SkipReason { get; private set; }

    public IPEndPoint Endpoint { get; private set; } = new(IPAddress.Loopback, 0);

    public Kubectl Kubectl => new(Path.Combine(_dataDir, "server", "kubeconfig.yaml"));

    public async Task InitializeAsync()
    {
        SkipReason = ServerProcess.RepoRoot is null ? "the repository's ./timonel launcher is not above the test binaries"
            : !Kubectl.IsInstalled ? Kubectl.SkipReason
            : !CanBind(new IPEndPoint(_upstreamAddress, 53)) ? "127.0.0.77:53 is taken or needs root (the test's upstream resolver listens there)"
            : null;
        if (SkipReason is not null)
        {
            return;
        }

        _upstream = new DnsServer([new UdpServerTransport(new IPEndPoint(_upstreamAddress, 53)), new TcpServerTransport(new IPEndPoint(_upstreamAddress, 53))]);
        _upstream.QueryReceived += (_, e) =>
        {
            var query = (DnsMessage)e.Query;
            var response = query.CreateResponseInstance();
            var question = query.Questions[0];
            if (question.Name.Equals(DomainName.Parse(UpstreamName)) && question.RecordType == RecordType.A)
            {
                response.AnswerRecords.Add(new ARecord(question.Name, 60, UpstreamAnswer));
            }
            else
            {
                response.ReturnCode = ReturnCode.NxDomain;
            }

            e.Response = response;
            return Task.CompletedTask;
        };
        _upstream.Start();
        Directory.CreateDirectory(_dataDir);
        var resolvConf = Path.Combine(_dataDir, "resolv.conf");
        await File.WriteAllTextAsync(resolvConf, $"nameserver {_upstreamAddress}\n");
        Endpoint = new IPEndPoint(MachineInfoReader.PrimaryAddress(), FreePort.Next());
        _server = ServerProcess.Start(
            Path.Combine(_dataDir, "server"),
            "--simulated-nodes", "1",
            "--cluster-dns-bind", Endpoint.Address.ToString(),
            "--cluster-dns-port", Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cluster-dns-resolv-conf", resolvConf);
        if (!await _server.WaitReadyAsync(TimeSpan.FromMinutes(4)))
        {
            throw new InvalidOperationException("the server did not become ready:\n" + _server.Output);
        }

        (await SimulatedClusterFixture.WaitAsync(Kubectl, "node/sim-0", "--for=create")).EnsureSuccess();
        (await SimulatedClusterFixture.WaitAsync(Kubectl, "node/sim-0", "--for=condition=Ready")).EnsureSuccess();
    }

    /// <summary>Asks the cluster DNS over UDP, again over TCP when the answer comes back truncated (as a stub resolver does).</summary>
    public async Task<DnsMessage> AskAsync(string name, RecordType type)
    {
        IClientTransport[] transports = [new UdpClientTransport(Endpoint.Port), new TcpClientTransport(Endpoint.Port)];
        var client = new DnsClient([Endpoint.Address], transports, false, 5000);
        return await client.ResolveAsync(DomainName.Parse(name), type, RecordClass.INet, new DnsQueryOptions { IsRecursionDesired = true }) ?? throw new InvalidOperationException($"no answer for {name}");
    }

    /// <summary>
    /// The raw UDP response to an A query without EDNS (so limited to 512 bytes), as a plain stub resolver sends it:
    /// its length, whether TC is set and its answer count (ARSoft's client retries over TCP by itself).
    /// </summary>
    public async Task<(int Length, bool Truncated, int Answers)> AskOverUdpAsync(string name)
    {
        var query = new List<byte> { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            query.Add((byte)label.Length);
            query.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        query.AddRange([0, 0, 1, 0, 1]);
        using var socket = new UdpClient();
        await socket.SendAsync(query.ToArray(), Endpoint);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var response = (await socket.ReceiveAsync(timeout.Token)).Buffer;
        return (response.Length, (response[2] & 0x02) != 0, (response[6] << 8) | response[7]);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _upstream?.Stop();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    public void Dispose() => (_upstream as IDisposable)?.Dispose();

    private static bool CanBind(IPEndPoint endpoint)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(endpoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
