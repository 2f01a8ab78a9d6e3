using System.CommandLine;
using Microsoft.Extensions.Logging;
using Timonel.Agent;
using Timonel.Agent.Joining;
using Timonel.Agent.Simulated;
using Timonel.Client;
using Timonel.Client.Components;

namespace Timonel.Commands;

/// <summary>
/// <c>timonel agent</c>: joins a server with K3s' --server and --token. By default this machine becomes a node
/// (<see cref="RealNode"/>) running as system:node:NAME with a client certificate and a kubelet serving certificate
/// the cluster signs through CSRs, as K3s and kubeadm nodes get theirs; --simulated N registers N hollow nodes instead.
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        // Required unless --cleanup: checked in the action.
        var server = new Option<string?>("--server", "-s") { Description = "Server to connect to (https://HOST:6443)" };
        var token = new Option<string?>("--token", "-t") { Description = "Token to use for authentication" };
        var tokenFile = new Option<string?>("--token-file") { Description = "Token file to use for authentication" };
        var serverCa = new Option<string?>("--server-ca") { Description = "The server's CA certificate file, needed with a short token (one without the CA hash)" };
        var simulated = new Option<int>("--simulated") { Description = "Register N simulated nodes that run no containers (for scheduling and scale tests) instead of this machine" };
        var prefix = new Option<string>("--node-name-prefix") { Description = "Simulated nodes are named PREFIX0, PREFIX1...", DefaultValueFactory = _ => "sim-" };
        var capacity = new Option<string?>("--node-capacity") { Description = "Capacity of each simulated node (default cpu=4,memory=16Gi,pods=110)" };
        var labels = new Option<string?>("--node-labels") { Description = "Labels added to each simulated node: k=v,..." };
        var clusterCidr = new Option<string>("--cluster-cidr") { Description = "The pods' range: simulated nodes' /24s come from it, and the service proxy tells the cluster's own traffic by it", DefaultValueFactory = _ => "10.42.0.0/16" };
        var dataDir = new Option<string>("--data-dir", "-d") { Description = "Folder for state: the node's certificates and keys, containerd's config and images, the kubelet's pods", DefaultValueFactory = _ => Timonel.ApiServer.Hosting.ApiServerOptions.DefaultDataDir() };
        var agentFlags = new NodeAgentFlags();
        var cleanup = new Option<bool>("--cleanup") { Description = "Remove the Service rules the agent installed (its nftables table, or its iptables-nft chains) and exit" };
        var command = new Command("agent", "Run a node agent that joins a server")
        {
            server, token, tokenFile, serverCa, simulated, prefix, capacity, labels, clusterCidr, dataDir, cleanup,
        };
        foreach (var option in agentFlags.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(cleanup))
            {
                return await AgentCleanup.RunAsync(cancellationToken);
            }

            if (parse.GetValue(server) is not { Length: > 0 })
            {
                Console.Error.WriteLine("Option '--server' is required.");
                return 1;
            }

            var given = parse.GetValue(token) ?? (parse.GetValue(tokenFile) is { } file ? (await File.ReadAllTextAsync(file, cancellationToken)).Trim() : null);
            if (given is null)
            {
                Console.Error.WriteLine("--token or --token-file is required");
                return 1;
            }

            var join = new JoinSettings(new Uri(parse.GetValue(server)!), given, parse.GetValue(serverCa), Path.Combine(Path.GetFullPath(parse.GetValue(dataDir)!), "agent"));
            if (parse.GetValue(simulated) <= 0)
            {
                var nodeName = agentFlags.NodeNameOf(parse);
                return await RunAsync(join, nodeName, alwaysAsNode: true, "node " + nodeName, (node, loggerFactory, logger) =>
                {
                    ServingCertificateSource serving = (addresses, ct) => KubeletServingCertificate.ObtainAsync(node, nodeName, addresses, join.AgentDir, logger, TimeProvider.System, ct);
                    return new RealNode(node, agentFlags.Options(parse, join.AgentDir, serving) with { ClusterCidr = parse.GetValue(clusterCidr)! }, loggerFactory);
                }, cancellationToken);
            }

            SimulatedNodesOptions options;
            try
            {
                options = new SimulatedNodesOptions
                {
                    Count = parse.GetValue(simulated),
                    NamePrefix = parse.GetValue(prefix)!,
                    Capacity = KeyValueList.Merge(SimulatedNodesOptions.DefaultCapacity, KeyValueList.Parse(parse.GetValue(capacity))),
                    Labels = KeyValueList.Parse(parse.GetValue(labels)),
                    ClusterCidr = parse.GetValue(clusterCidr)!,
                };
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }

            if (options.Problem() is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 1;
            }

            if (NodeBootstrap.IsBootstrapToken(given) && options.Count != 1)
            {
                // A bootstrap token gets one node identity (system:node:NAME): the node that identity names.
                Console.Error.WriteLine("a bootstrap token joins one node: give --simulated 1");
                return 1;
            }

            // Many simulated nodes share the server token's identity; one joined with a bootstrap token runs as its node.
            return await RunAsync(join, options.NamePrefix + "0", alwaysAsNode: false, $"{options.Count} simulated nodes", (connection, loggerFactory, _) => new SimulatedNodes(connection, options, loggerFactory), cancellationToken);
        });
        return command;
    }

    /// <param name="nodeName">The node whose identity (system:node:NAME) the agent takes.</param>
    /// <param name="alwaysAsNode">Take the node identity with the server's full token too, not only with a bootstrap token.</param>
    /// <param name="joined">What joins, for the ready message.</param>
    private static async Task<int> RunAsync(JoinSettings join, string nodeName, bool alwaysAsNode, string joined, Func<ClusterConnection, ILoggerFactory, ILogger, IComponent> createNodes, CancellationToken cancellationToken)
    {
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning));
        var logger = loggerFactory.CreateLogger("timonel");
        using var stopping = new ShutdownSignal(cancellationToken);
        try
        {
            var connection = await ServerTrust.ConnectAsync(join.Server, join.Token, join.ServerCa, stopping.Token);
            var bootstrap = NodeBootstrap.IsBootstrapToken(join.Token);
            if (bootstrap || alwaysAsNode)
            {
                // The token only asks for the node's certificate; the node then runs as system:node:NAME.
                var credential = bootstrap ? NodeBootstrap.Credential(join.Token) : join.Token;
                connection = await NodeBootstrap.ObtainAsync(connection with { BearerToken = credential }, nodeName, join.AgentDir, logger, TimeProvider.System, stopping.Token);
            }

            await using var running = new RunningComponents();
            var nodes = createNodes(connection, loggerFactory, logger);
            await running.StartAsync(nodes, stopping.Token);
            if (nodes is RealNode { Unavailable: { } unavailable })
            {
                Console.Error.WriteLine(unavailable);
                return 1;
            }

            await running.WhenReadyAsync(stopping.Token);
            // Registration of thousands of nodes leaves their request and answer objects behind in gen2, which a
            // steady agent allocating little collects late; collect and compact once, as the server does after start.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            logger.LogInformation("agent ready: {Joined} joined {Server}", joined, join.Server);
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.Token.IsCancellationRequested)
        {
            logger.LogInformation("shutting down");
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or HttpRequestException or IOException or k8s.Autorest.HttpOperationException)
        {
            logger.LogError("{Message}", ex.Message);
            return 1;
        }

        return 0;
    }

    /// <summary>Where and how the agent joins, and where it keeps its state (DATA/agent).</summary>
    private sealed record JoinSettings(Uri Server, string Token, string? ServerCa, string AgentDir);
}
