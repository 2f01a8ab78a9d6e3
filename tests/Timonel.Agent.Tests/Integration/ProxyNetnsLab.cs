using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using Timonel.Agent.Proxy;
using Timonel.Agent.Proxy.Iptables;

namespace Timonel.Agent.Tests.Integration;

/// <summary>
/// A node and its pods in network namespaces of the test's own: the "node" namespace holds the proxy's table (nft run
/// through <c>ip netns exec</c>) and a veth to each "pod" namespace, where busybox httpd answers on 8080 with the
/// pod's name. Pod N has 10.42.N.5 behind the node's 10.42.N.1; the Service range 10.43.0.0/16 is routed towards
/// pod 1, so the node's own requests have a route before DNAT (as a default route gives them on a real node). Nothing on the host is touched; disposing deletes all.
/// </summary>
public sealed class ProxyNetnsLab : IAsyncLifetime
{
    public const int PodCount = 2;
    public const string NodeAddress = "10.42.1.1";
    public const string ClusterIp = "10.43.0.10";

    /// <summary>The Service the tests proxy: port 80 of <see cref="ClusterIp"/>.</summary>
    public static readonly ProxyServicePort Web = new() { Namespace = "default", Name = "web", PortName = "", Protocol = "tcp", ClusterIp = ClusterIp, Port = 80 };
    private readonly string _suffix = RandomNumberGenerator.GetHexString(6, lowercase: true);
    private readonly List<Process> _servers = [];
    private string? _root;

    /// <summary>Why the tests cannot run here, or null.</summary>
    public string? SkipReason { get; private set; }

    public string Node => "tmnp-" + _suffix;

    public NftCommand Nft => new("ip", ["netns", "exec", Node, "nft"]);

    public IptablesCommand Iptables => new("ip", ["netns", "exec", Node]);

    public static string PodIp(int pod) => $"10.42.{pod}.5";

    /// <summary>Pod N's httpd as a ready local endpoint.</summary>
    public static ProxyEndpoint PodEndpoint(int pod) => new(PodIp(pod), 8080, Ready: true, Serving: true, Terminating: false, IsLocal: true);

    public string Pod(int pod) => $"{Node}-p{pod}";

    public async Task InitializeAsync()
    {
        SkipReason = !Environment.IsPrivilegedProcess ? "network namespaces need root"
            : !NftCommand.Available() ? "nft is not installed or the kernel has no nftables"
            : !File.Exists("/usr/bin/busybox") ? "busybox (busybox-static) is not installed"
            : !File.Exists("/usr/bin/curl") ? "curl is not installed"
            : null;
        if (SkipReason is not null)
        {
            Console.WriteLine($"skipping service proxy netns tests: {SkipReason}");
            return;
        }

        _root = Directory.CreateTempSubdirectory("timonel-proxy-").FullName;
        await IpAsync("netns", "add", Node);
        await InNodeAsync("ip", "link", "set", "lo", "up");
        // A NodePort answered on 127.0.0.1 is DNATed to a pod: the loopback source must be routable out of lo.
        await InNodeAsync("sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1");
        for (var pod = 1; pod <= PodCount; pod++)
        {
            await AddPodAsync(pod);
        }

        await InNodeAsync("ip", "route", "add", "10.43.0.0/16", "via", PodIp(1), "src", NodeAddress);
    }

    private async Task AddPodAsync(int pod)
    {
        var name = Pod(pod);
        await IpAsync("netns", "add", name);
        await IpAsync("link", "add", $"tp{_suffix}{pod}", "netns", Node, "type", "veth", "peer", "name", "eth0", "netns", name);
        await InNodeAsync("ip", "addr", "add", $"10.42.{pod}.1/24", "dev", $"tp{_suffix}{pod}");
        await InNodeAsync("ip", "link", "set", $"tp{_suffix}{pod}", "up");
        await RunAsync("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
        await RunAsync("ip", "netns", "exec", name, "ip", "addr", "add", $"{PodIp(pod)}/24", "dev", "eth0");
        await RunAsync("ip", "netns", "exec", name, "ip", "link", "set", "eth0", "up");
        await RunAsync("ip", "netns", "exec", name, "ip", "route", "add", "default", "via", $"10.42.{pod}.1");
        var site = Path.Combine(_root!, name);
        Directory.CreateDirectory(site);
        await File.WriteAllTextAsync(Path.Combine(site, "index.html"), $"pod-{pod}\n");
        var server = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", name, "busybox", "httpd", "-f", "-p", "8080", "-h", site]) { RedirectStandardError = true })!;
        _servers.Add(server);
        await WaitForAsync(() => ProbeAsync(name, $"http://{PodIp(pod)}:8080/"));
    }

    /// <summary>An HTTP GET from the node namespace (as a process on the node would make it): the body, or curl's error.</summary>
    public Task<(bool Ok, string Text)> GetFromNodeAsync(string url) => GetAsync(Node, url);

    /// <summary>HTTP GETs from the node namespace, each of which must succeed: the bodies.</summary>
    public async Task<List<string>> GetManyFromNodeAsync(string url, int count)
    {
        var answers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var (ok, text) = await GetFromNodeAsync(url);
            Assert.True(ok, text);
            answers.Add(text);
        }

        return answers;
    }

    /// <summary>An HTTP GET from pod N's namespace.</summary>
    public Task<(bool Ok, string Text)> GetFromPodAsync(int pod, string url) => GetAsync(Pod(pod), url);

    /// <summary>iptables-nft-save's output of the node namespace (every table).</summary>
    public async Task<string> IptablesSaveAsync() => (await RunAsync("ip", "netns", "exec", Node, "iptables-nft-save")).Output;

    public async Task<string> RulesetAsync() => (await RunAsync("ip", "netns", "exec", Node, "nft", "list", "ruleset")).Output;

    private static async Task<(bool Ok, string Text)> GetAsync(string ns, string url)
    {
        var (code, output, error) = await RunAsync("ip", ["netns", "exec", ns, "curl", "-sS", "-m", "3", url], check: false);
        return (code == 0, code == 0 ? output.Trim() : error.Trim());
    }

    private static async Task<bool> ProbeAsync(string ns, string url) => (await GetAsync(ns, url)).Ok;

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50 && !await condition(); i++)
        {
            await Task.Delay(100);
        }
    }

    private Task InNodeAsync(params string[] command) => RunAsync("ip", ["netns", "exec", Node, .. command]);

    private static Task IpAsync(params string[] arguments) => RunAsync("ip", arguments);

    private static Task<(int Code, string Output, string Error)> RunAsync(string file, params string[] arguments) => RunAsync(file, arguments, check: true);

    private static async Task<(int Code, string Output, string Error)> RunAsync(string file, string[] arguments, bool check)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new Win32Exception($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var result = (process.ExitCode, await output, await error);
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: {result.Item3}");
        }

        return result;
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            server.Dispose();
        }

        if (SkipReason is not null)
        {
            return;
        }

        for (var pod = 1; pod <= PodCount; pod++)
        {
            await RunAsync("ip", ["netns", "del", Pod(pod)], check: false);
        }

        await RunAsync("ip", ["netns", "del", Node], check: false);
        if (_root is not null)
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
