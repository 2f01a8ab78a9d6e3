namespace Timonel.IntegrationTests;

/// <summary>
/// <c>timonel server --simulated-nodes 3</c> as a real process: the API server, the controllers and the scheduler
/// under leader election, and three simulated nodes (sim-0, sim-1, sim-2), shared by one test class. A derived fixture
/// may ask for more nodes.
/// </summary>
public class SimulatedClusterFixture : IAsyncLifetime
{
    public const int NodeCount = 3;
    private static readonly TimeSpan _startTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-sim-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly int _nodeCount;
    private ServerProcess? _server;

    public SimulatedClusterFixture()
        : this(NodeCount)
    {
    }

    protected SimulatedClusterFixture(int nodeCount) => _nodeCount = nodeCount;

    public string? SkipReason { get; private set; }

    public ServerProcess Server => _server ?? throw new InvalidOperationException(SkipReason);

    public string KubeconfigPath => Path.Combine(_dataDir, "kubeconfig.yaml");

    public Kubectl Kubectl => new(KubeconfigPath);

    public static IEnumerable<string> NodeNames => Enumerable.Range(0, NodeCount).Select(i => $"sim-{i}");

    public async Task InitializeAsync()
    {
        SkipReason = ServerProcess.RepoRoot is null ? "the repository's ./timonel launcher is not above the test binaries"
            : !Kubectl.IsInstalled ? Kubectl.SkipReason
            : null;
        if (SkipReason is not null)
        {
            return;
        }

        _server = ServerProcess.Start(_dataDir, "--simulated-nodes", _nodeCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!await _server.WaitReadyAsync(_startTimeout))
        {
            throw new InvalidOperationException("the server did not become ready:\n" + _server.Output);
        }

        // Ready once every simulated node has registered and says so (kubectl wait answers NotFound at once for a node
        // not registered yet, hence --for=create first).
        foreach (var node in Enumerable.Range(0, _nodeCount).Select(i => $"sim-{i}"))
        {
            (await WaitAsync(Kubectl, "node/" + node, "--for=create")).EnsureSuccess();
            (await WaitAsync(Kubectl, "node/" + node, "--for=condition=Ready")).EnsureSuccess();
        }
    }

    /// <summary><c>kubectl wait</c> with a minute's patience (it polls by watching, as a user would).</summary>
    public static Task<KubectlResult> WaitAsync(Kubectl kubectl, string target, string condition, string? ns = null) =>
        ns is null
            ? kubectl.RunAsync("wait", target, condition, "--timeout=60s")
            : kubectl.RunAsync("wait", target, condition, "--timeout=60s", "-n", ns);

    /// <summary>Polls <paramref name="read"/> once a second until it answers something <paramref name="done"/> accepts (60 s at most); the last answer either way.</summary>
    public static async Task<string> EventuallyAsync(Func<Task<string>> read, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var last = await read();
        while (!done(last) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            last = await read();
        }

        return last;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
