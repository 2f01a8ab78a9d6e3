using System.CommandLine;
using Microsoft.Extensions.Logging;
using Timonel.Agent.Joining;
using Timonel.Agent.Simulated;
using Timonel.Client.Components;

namespace Timonel.Commands;

/// <summary>
/// <c>timonel agent</c>: joins a server with K3s' --server and --token. Only simulated nodes exist so far
/// (--simulated N); the kubelet for a real node comes later.
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
        var simulated = new Option<int>("--simulated") { Description = "Register N simulated nodes that run no containers (for scheduling and scale tests)" };
        var prefix = new Option<string>("--node-name-prefix") { Description = "Simulated nodes are named PREFIX0, PREFIX1...", DefaultValueFactory = _ => "sim-" };
        var capacity = new Option<string?>("--node-capacity") { Description = "Capacity of each simulated node (default cpu=4,memory=16Gi,pods=110)" };
        var labels = new Option<string?>("--node-labels") { Description = "Labels added to each simulated node: k=v,..." };
        var clusterCidr = new Option<string>("--cluster-cidr") { Description = "Pod range the simulated nodes' /24s come from", DefaultValueFactory = _ => "10.42.0.0/16" };
        var cleanup = new Option<bool>("--cleanup") { Description = "Remove the Service rules the agent installed (its nftables table) and exit" };
        var dataDir = new Option<string>("--data-dir", "-d") { Description = "Folder for state: the node's certificate and key", DefaultValueFactory = _ => Timonel.ApiServer.Hosting.ApiServerOptions.DefaultDataDir() };
        var command = new Command("agent", "Run a node agent that joins a server")
        {
            server, token, tokenFile, serverCa, simulated, prefix, capacity, labels, clusterCidr, dataDir, cleanup,
        };
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

            if (parse.GetValue(simulated) <= 0)
            {
                Console.Error.WriteLine("only simulated nodes are supported so far: give --simulated N");
                return 1;
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

            return await RunAsync(new Uri(parse.GetValue(server)!), given, parse.GetValue(serverCa), options, Path.Combine(parse.GetValue(dataDir)!, "agent"), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(Uri server, string token, string? serverCa, SimulatedNodesOptions options, string agentDir, CancellationToken cancellationToken)
    {
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning));
        var logger = loggerFactory.CreateLogger("timonel");
        using var stopping = new ShutdownSignal(cancellationToken);
        try
        {
            var connection = await ServerTrust.ConnectAsync(server, token, serverCa, stopping.Token);
            if (NodeBootstrap.IsBootstrapToken(token))
            {
                // The bootstrap token only asks for the node's certificate; the node then runs as system:node:NAME.
                connection = await NodeBootstrap.ObtainAsync(connection with { BearerToken = NodeBootstrap.Credential(token) }, options.NamePrefix + "0", agentDir, logger, TimeProvider.System, stopping.Token);
            }

            await using var running = new RunningComponents();
            await running.StartAsync(new SimulatedNodes(connection, options, loggerFactory), stopping.Token);
            await running.WhenReadyAsync(stopping.Token);
            // Registration of thousands of nodes leaves their request and answer objects behind in gen2, which a
            // steady agent allocating little collects late; collect and compact once, as the server does after start.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            logger.LogInformation("agent ready: {Count} simulated nodes joined {Server}", options.Count, server);
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
}
