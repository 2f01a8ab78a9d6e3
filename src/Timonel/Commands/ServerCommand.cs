using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Timonel.Agent.Simulated;
using Timonel.Api.Protobuf;
using Timonel.ApiServer.Hosting;
using Timonel.Client;
using Timonel.Client.Components;
using Timonel.Client.LeaderElection;
using Timonel.Controllers;
using Timonel.Controllers.PodGc;
using Timonel.Scheduler;
using Timonel.Storage;
using Timonel.Storage.Etcd;

namespace Timonel.Commands;

/// <summary><c>timonel server</c>: the control plane in one process, with K3s' flag names.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir", "-d") { Description = "Folder for state: certificates, kubeconfig, token, database", DefaultValueFactory = _ => ApiServerOptions.DefaultDataDir() };
        var port = new Option<int>("--https-listen-port") { Description = "HTTPS listen port", DefaultValueFactory = _ => 6443 };
        var bind = new Option<string>("--bind-address") { Description = "Address to listen on", DefaultValueFactory = _ => "0.0.0.0" };
        // K3s' descriptions of its advertise flags.
        var advertiseAddress = new Option<string?>("--advertise-address") { Description = "IPv4/IPv6 address that apiserver uses to advertise to members of the cluster (default: the bind address, or the host's first IPv4)" };
        var advertisePort = new Option<int?>("--advertise-port") { Description = "Port that apiserver uses to advertise to members of the cluster (default: listen-port)" };
        var datastore = new Option<string?>("--datastore-endpoint") { Description = "Empty: embedded SQLite; http(s)://HOST:2379: etcd" };
        // K3s' descriptions of its datastore TLS flags.
        var datastoreCa = new Option<string?>("--datastore-cafile") { Description = "TLS Certificate Authority file used to secure datastore backend communication" };
        var datastoreCert = new Option<string?>("--datastore-certfile") { Description = "TLS certification file used to secure datastore backend communication" };
        var datastoreKey = new Option<string?>("--datastore-keyfile") { Description = "TLS key file used to secure datastore backend communication" };
        var token = new Option<string?>("--token", "-t") { Description = "Shared secret agents join with" };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the join token" };
        var tokenAuthFile = new Option<string?>("--token-auth-file") { Description = "Static bearer tokens: token,user,uid,\"group1,group2\"" };
        var disableAgent = new Option<bool>("--disable-agent") { Description = "Do not run a local node agent (always the case for now)" };
        var serviceCidr = new Option<string>("--service-cidr") { Description = "ClusterIP range", DefaultValueFactory = _ => "10.43.0.0/16" };
        var nodePortRange = new Option<string>("--service-node-port-range") { Description = "NodePort range", DefaultValueFactory = _ => "30000-32767" };
        var disableScheduler = new Option<bool>("--disable-scheduler") { Description = "Disable Kubernetes default scheduler" };
        var simulatedNodes = new Option<int>("--simulated-nodes") { Description = "Also run N simulated nodes (no containers) in this process" };
        // kube-controller-manager's flag and description.
        var terminatedPodGcThreshold = new Option<int>("--terminated-pod-gc-threshold")
        {
            Description = "Number of terminated pods that can exist before the terminated pod garbage collector starts deleting terminated pods. If <= 0, the terminated pod garbage collector is disabled.",
            DefaultValueFactory = _ => PodGcController.DefaultTerminatedPodThreshold,
        };
        // kube-apiserver's --event-ttl, in Go's duration form.
        var eventTtl = new Option<string>("--event-ttl") { Description = "Amount of time to retain events", DefaultValueFactory = _ => "1h" };
        var tlsSan = new Option<string[]>("--tls-san") { Description = "Extra host names or IPs for the serving certificate", AllowMultipleArgumentsPerToken = false };
        var command = new Command("server", "Run the control plane: API server, datastore, controllers")
        {
            dataDir, port, bind, advertiseAddress, advertisePort, datastore, datastoreCa, datastoreCert, datastoreKey, token, tokenFile, tokenAuthFile, disableAgent, serviceCidr, nodePortRange, tlsSan, disableScheduler, simulatedNodes, terminatedPodGcThreshold, eventTtl,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var bindAddress))
            {
                Console.Error.WriteLine($"invalid --bind-address {parse.GetValue(bind)}");
                return 1;
            }

            IPAddress? advertised = null;
            if (parse.GetValue(advertiseAddress) is { } advertise && !IPAddress.TryParse(advertise, out advertised))
            {
                Console.Error.WriteLine($"invalid --advertise-address {advertise}");
                return 1;
            }

            if (ParseEventTtl(parse.GetValue(eventTtl)!) is not { } ttl)
            {
                Console.Error.WriteLine($"invalid argument \"{parse.GetValue(eventTtl)}\" for \"--event-ttl\" flag: a positive duration such as 1h or 30m");
                return 1;
            }

            var options = new ApiServerOptions
            {
                DataDir = Path.GetFullPath(parse.GetValue(dataDir)!),
                HttpsListenPort = parse.GetValue(port),
                BindAddress = bindAddress,
                AdvertiseAddress = advertised,
                AdvertisePort = parse.GetValue(advertisePort),
                DatastoreEndpoint = parse.GetValue(datastore),
                DatastoreTls = new EtcdTlsFiles(parse.GetValue(datastoreCa), parse.GetValue(datastoreCert), parse.GetValue(datastoreKey)),
                Token = parse.GetValue(token),
                TokenFile = parse.GetValue(tokenFile),
                TokenAuthFile = parse.GetValue(tokenAuthFile),
                ServiceCidr = parse.GetValue(serviceCidr)!,
                ServiceNodePortRange = parse.GetValue(nodePortRange)!,
                TlsSans = parse.GetValue(tlsSan) ?? [],
            };
            if (new SimulatedNodesOptions { Count = parse.GetValue(simulatedNodes) }.Problem() is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 1;
            }

            var controllers = new ControllerManagerOptions { TerminatedPodGcThreshold = parse.GetValue(terminatedPodGcThreshold) };
            return await RunAsync(options, controllers, parse.GetValue(disableScheduler), parse.GetValue(simulatedNodes), ttl, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ApiServerOptions options, ControllerManagerOptions controllers, bool disableScheduler, int simulatedNodes, TimeSpan eventTtl, CancellationToken cancellationToken)
    {
        var started = new StartupPhases();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning)
            // The host logs a failed start with its stack trace before rethrowing; the exception is reported below.
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None)
            // Only logs each request (Information and below, never shown here), but any level enabled for it makes
            // ASP.NET Core start an Activity per request, which the etcd client's gRPC calls then trace and propagate.
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None));
        var logger = loggerFactory.CreateLogger("timonel");
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopping.Cancel();
        });
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stopping.Cancel();
        });

        IStorageBackend storage;
        try
        {
            Directory.CreateDirectory(options.DataDir);
            storage = await StorageBackendFactory.CreateAsync(options.DatastoreEndpoint, options.DataDir, options.DatastoreTls, stopping.Token);
            started.Mark("storage");
        }
        catch (Exception ex) when (ex is NotSupportedException or ArgumentException or FileNotFoundException or InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            logger.LogError("{Message}", ex.Message);
            return 1;
        }

        await using var ownedStorage = storage;
        // Keep history bounded as kube-apiserver does (a compaction every 5 minutes, keeping recent revisions), and
        // compact 10 s after start too, so a server restarted more often than that still compacts.
        await using var compactor = new AutoCompactor(storage);
        compactor.Start();

        // Events (core/v1 and events.k8s.io/v1 share these keys) expire eventTtl after their last write.
        await using var eventExpiry = new KeyExpiry(storage, "/registry/events/", eventTtl);
        eventExpiry.Failed += ex => logger.LogWarning("event expiry: {Message}", ex.Message);
        eventExpiry.Start();
        ApiServerHost startedHost;
        try
        {
            startedHost = await ApiServerHost.StartAsync(options, storage, loggerFactory, stopping.Token, started);
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Said the way kube-apiserver and k3s say it, instead of an unhandled exception's stack trace.
            logger.LogError("listen tcp {Address}:{Port}: bind: address already in use", options.BindAddress, options.HttpsListenPort);
            return 1;
        }
        catch (Grpc.Core.RpcException ex)
        {
            logger.LogError("{Message}", DatastoreFailure.Describe(ex, options.DatastoreEndpoint));
            return 1;
        }

        await using var host = startedHost;
        var connection = new ClusterConnection(host.Url, host.Pki.CertificateAuthority, host.Pki.Admin);
        // The controllers (and the scheduler) run on one server at a time, elected on their kube-system Lease as
        // upstream's; node agents run on every server.
        IComponent[] components =
        [
            LeaseElection.Run("controllers", LeaseElection.ControllerManager, () => new ControllerManager(connection, loggerFactory, controllers with { SigningCertificateAuthority = host.Pki.CertificateAuthority }), connection, loggerFactory, TimeProvider.System),
            .. disableScheduler ? Array.Empty<IComponent>() : [LeaseElection.Run("scheduler", LeaseElection.Scheduler, () => new SchedulerComponent(connection, loggerFactory), connection, loggerFactory, TimeProvider.System, LeaseElection.SchedulerEventSource)],
            .. simulatedNodes > 0 ? [new SimulatedNodes(connection, new SimulatedNodesOptions { Count = simulatedNodes }, loggerFactory)] : Array.Empty<IComponent>(),
        ];
        await using var running = new RunningComponents();
        foreach (var component in components)
        {
            await running.StartAsync(component, stopping.Token);
        }

        try
        {
            await running.WhenReadyAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("shutting down");
            return 0;
        }

        started.Mark("components");
        // Start-up leaves ~12 MB of garbage (PKI and TLS setup, bootstrap writes, the controllers' client) inside a
        // generation-0 budget that an idle server takes a long time to fill; collect and compact it once, so the idle
        // footprint is the live data (docs/benchmarks.md measures idle RSS).
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        logger.LogInformation("Timonel API server ready at {Url} in {Elapsed} ms ({Phases}); kubeconfig: {Kubeconfig}", host.Url, started.ElapsedMilliseconds, started, host.KubeconfigPath);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("shutting down");
        }

        return 0;
    }

    private static TimeSpan? ParseEventTtl(string text)
    {
        try
        {
            var nanoseconds = GoDuration.Parse(text);
            return nanoseconds > 0 ? TimeSpan.FromTicks(nanoseconds / 100) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
