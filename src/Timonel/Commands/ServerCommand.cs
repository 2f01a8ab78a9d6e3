using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Timonel.Agent;
using Timonel.Agent.Kubelet.Node;
using Timonel.Agent.Simulated;
using Timonel.Api.Protobuf;
using Timonel.ApiServer.Audit;
using Timonel.ApiServer.Encryption;
using Timonel.ApiServer.Hosting;
using Timonel.ApiServer.Overload;
using Timonel.Client;
using Timonel.Client.Components;
using Timonel.Client.LeaderElection;
using Timonel.Controllers;
using Timonel.Controllers.Cloud;
using Timonel.Controllers.Ingress;
using Timonel.Controllers.PodGc;
using Timonel.Controllers.Volume;
using Timonel.Networking.Dns;
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
        var disableAgent = new Option<bool>("--disable-agent") { Description = "Do not run a local agent and register a local kubelet" };
        var clusterCidr = new Option<string>("--cluster-cidr") { Description = "IPv4 network CIDRs to use for pod IPs", DefaultValueFactory = _ => "10.42.0.0/16" };
        var agentFlags = new NodeAgentFlags();
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
        // K3s' flag (on by default here, as the default Secrets deserve), and kube-apiserver's for a file of one's own.
        var secretsEncryption = new Option<bool>("--secrets-encryption") { Description = "Enable secret encryption at rest (--secrets-encryption=false turns it off)", DefaultValueFactory = _ => true };
        var encryptionConfig = new Option<string?>("--encryption-provider-config") { Description = "The file containing configuration for encryption providers to be used for storing secrets in etcd" };
        // kube-apiserver's audit and overload flags and descriptions; --max-watches-per-user is Timonel's own.
        var auditPolicyFile = new Option<string?>("--audit-policy-file") { Description = "Path to the file that defines the audit policy configuration." };
        var auditLogPath = new Option<string?>("--audit-log-path") { Description = "If set, all requests coming to the apiserver will be logged to this file.  '-' means standard out." };
        var auditLogMaxSize = new Option<int>("--audit-log-maxsize") { Description = "The maximum size in megabytes of the audit log file before it gets rotated." };
        var auditLogMaxBackup = new Option<int>("--audit-log-maxbackup") { Description = "The maximum number of old audit log files to retain. Setting a value of 0 will mean there's no restriction on the number of files." };
        var auditLogMaxAge = new Option<int>("--audit-log-maxage") { Description = "The maximum number of days to retain old audit log files based on the timestamp encoded in their filename." };
        var maxInflight = new Option<int>("--max-requests-inflight") { Description = "The maximum number of non-mutating requests in flight at a given time. When the server exceeds this, it rejects requests. Zero for no limit.", DefaultValueFactory = _ => OverloadOptions.DefaultMaxRequestsInflight };
        var maxMutatingInflight = new Option<int>("--max-mutating-requests-inflight") { Description = "The maximum number of mutating requests in flight at a given time. When the server exceeds this, it rejects requests. Zero for no limit.", DefaultValueFactory = _ => OverloadOptions.DefaultMaxMutatingRequestsInflight };
        var requestTimeout = new Option<string>("--request-timeout") { Description = "An optional field indicating the duration a handler must keep a request open before timing it out. This is the default request timeout for requests but may be overridden by a shorter ?timeout= of a request.", DefaultValueFactory = _ => "1m0s" };
        var maxWatchesPerUser = new Option<int>("--max-watches-per-user") { Description = "The maximum number of watches one user (system:masters aside) may hold open; past it a new watch is refused with 429. Zero for no limit.", DefaultValueFactory = _ => OverloadOptions.DefaultMaxWatchesPerUser };
        var disable = new Option<string[]>("--disable") { Description = "Do not deploy packaged components (valid items: coredns, servicelb, traefik or ingress, local-storage)", AllowMultipleArgumentsPerToken = false };
        // K3s' flag and description; --storage-class-alias is Timonel's own.
        var localStoragePath = new Option<string?>("--default-local-storage-path") { Description = "Default local storage path for local provisioner storage class (default: DATA-DIR/storage)" };
        var storageClassAlias = new Option<string[]>("--storage-class-alias") { Description = "NAME=CLASS: also deploy StorageClass NAME as a copy of CLASS, unless a class of that name exists (repeatable; built in: do-block-storage, default, managed-csi, gp2, gp3, standard and standard-rwo as local-path)", AllowMultipleArgumentsPerToken = false };
        var clusterDnsBind = new Option<string?>("--cluster-dns-bind") { Description = "Address the built-in cluster DNS listens on, port 53 (default: the node's primary address)" };
        var clusterDnsPort = new Option<int>("--cluster-dns-port") { Description = "Port the built-in cluster DNS listens on", DefaultValueFactory = _ => 53, Hidden = true };
        var clusterDnsResolvConf = new Option<string>("--cluster-dns-resolv-conf") { Description = "resolv.conf naming the resolvers the cluster DNS forwards other names to", DefaultValueFactory = _ => "/etc/resolv.conf", Hidden = true };
        var ingressHttpPort = new Option<int>("--ingress-http-port") { Description = "Port the built-in Ingress controller serves HTTP on", DefaultValueFactory = _ => IngressOptions.DefaultHttpPort };
        var ingressHttpsPort = new Option<int>("--ingress-https-port") { Description = "Port the built-in Ingress controller serves HTTPS on", DefaultValueFactory = _ => IngressOptions.DefaultHttpsPort };
        var tlsSan = new Option<string[]>("--tls-san") { Description = "Extra host names or IPs for the serving certificate", AllowMultipleArgumentsPerToken = false };
        var command = new Command("server", "Run the control plane: API server, datastore, controllers")
        {
            dataDir, port, bind, advertiseAddress, advertisePort, datastore, datastoreCa, datastoreCert, datastoreKey, token, tokenFile, tokenAuthFile, disableAgent, serviceCidr, nodePortRange, tlsSan, disableScheduler, simulatedNodes, terminatedPodGcThreshold, eventTtl, secretsEncryption, encryptionConfig,
            auditPolicyFile, auditLogPath, auditLogMaxSize, auditLogMaxBackup, auditLogMaxAge, maxInflight, maxMutatingInflight, requestTimeout, maxWatchesPerUser, clusterCidr, disable, localStoragePath, storageClassAlias,
            clusterDnsBind, clusterDnsPort, clusterDnsResolvConf, ingressHttpPort, ingressHttpsPort,
        };
        foreach (var option in agentFlags.All)
        {
            command.Options.Add(option);
        }

        var cloudFlags = new CloudControllerFlags();
        foreach (var option in cloudFlags.All)
        {
            command.Options.Add(option);
        }

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

            if (ParseEventTtl(parse.GetValue(requestTimeout)!) is not { } timeout)
            {
                Console.Error.WriteLine($"invalid argument \"{parse.GetValue(requestTimeout)}\" for \"--request-timeout\" flag: a positive duration such as 1m0s");
                return 1;
            }

            var audit = new AuditLogOptions
            {
                PolicyFile = parse.GetValue(auditPolicyFile),
                Path = parse.GetValue(auditLogPath),
                MaxSizeMegabytes = parse.GetValue(auditLogMaxSize),
                MaxBackups = parse.GetValue(auditLogMaxBackup),
                MaxAgeDays = parse.GetValue(auditLogMaxAge),
            };
            if (audit.PolicyFile is { Length: > 0 } policyFile)
            {
                try
                {
                    AuditPolicy.Load(policyFile);
                }
                catch (InvalidDataException ex)
                {
                    Console.Error.WriteLine($"invalid --audit-policy-file: {ex.Message}");
                    return 1;
                }
            }

            if (audit.Path is { Length: > 0 } logPath && logPath != "-")
            {
                try
                {
                    // Created (mode 0600) now, so a path the server cannot write stops it before it serves.
                    using var log = new RotatingLogFile(logPath, audit.MaxSizeMegabytes, audit.MaxBackups, audit.MaxAgeDays, TimeProvider.System);
                    log.Open();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"invalid --audit-log-path: {ex.Message}");
                    return 1;
                }
            }

            DisabledComponents disabled;
            try
            {
                disabled = DisabledComponents.Parse(parse.GetValue(disable) ?? []);
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }

            CloudProviderSettings? cloudSettings;
            try
            {
                cloudSettings = cloudFlags.Settings(parse);
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }

            StorageClassAlias[] userAliases;
            try
            {
                userAliases = [.. (parse.GetValue(storageClassAlias) ?? []).Select(StorageClassAlias.Parse)];
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }

            var fullDataDir = Path.GetFullPath(parse.GetValue(dataDir)!);
            SecretsEncryption encryption;
            try
            {
                encryption = SecretsEncryption.Open(fullDataDir, parse.GetValue(secretsEncryption), parse.GetValue(encryptionConfig), TimeProvider.System);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }

            using var ownedEncryption = encryption;
            var options = new ApiServerOptions
            {
                SecretsEncryption = encryption,
                Audit = audit,
                Overload = new OverloadOptions
                {
                    MaxRequestsInflight = parse.GetValue(maxInflight),
                    MaxMutatingRequestsInflight = parse.GetValue(maxMutatingInflight),
                    RequestTimeout = timeout,
                    MaxWatchesPerUser = parse.GetValue(maxWatchesPerUser),
                },
                DataDir = fullDataDir,
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

            var localStorage = !disabled.IsDisabled(DisabledComponents.LocalStorage);
            var controllers = new ControllerManagerOptions
            {
                TerminatedPodGcThreshold = parse.GetValue(terminatedPodGcThreshold),
                ClusterCidr = parse.GetValue(clusterCidr)!,

                // The local agent's node makes its volumes' directories in this process; every other node's are
                // made by helper pods on it.
                LocalPathStorage = localStorage
                    ? new LocalPathStorage(Path.GetFullPath(parse.GetValue(localStoragePath) ?? Path.Combine(fullDataDir, "storage")), parse.GetValue(disableAgent) ? null : agentFlags.NodeNameOf(parse))
                    : null,
                // A cloud's disk provisioners; local-path's comes from LocalPathStorage above.
                VolumeProvisioners = cloudFlags.WithCloudDisks(parse, cloudSettings, new Dictionary<string, IVolumeProvisioner>()),

                // Without local storage only the user's own aliases are deployed: they name their targets.
                LocalPathStorageClass = localStorage,
                StorageClassAliases = localStorage ? LocalStorageClasses.Aliases(userAliases) : userAliases,
            };
            Func<ApiServerHost, ILoggerFactory, IComponent>? localAgent = null;
            if (!parse.GetValue(disableAgent))
            {
                var nodeName = agentFlags.NodeNameOf(parse);
                localAgent = (host, loggerFactory) =>
                {
                    // The local kubelet runs as its node (system:node:NAME in system:nodes), as a joined one does.
                    var nodeConnection = new ClusterConnection(host.Url, host.Pki.CertificateAuthority, host.Pki.ComponentCertificate("kubelet-" + nodeName, "system:node:" + nodeName, "system:nodes"));
                    // The server holds the CA's key: its own kubelet's serving certificate is signed on the spot.
                    ServingCertificateSource serving = (addresses, _) => Task.FromResult(host.Pki.KubeletServingCertificate(nodeName, addresses.Where(address => address.Type == "InternalIP").Select(address => IPAddress.Parse(address.Address))));
                    // The Service proxy runs as system:kube-proxy (K3s' client-kube-proxy certificate).
                    var proxyConnection = nodeConnection with { ClientCertificate = host.Pki.ComponentCertificate("kube-proxy", "system:kube-proxy") };
                    var nodeOptions = agentFlags.Options(parse, Path.Combine(fullDataDir, "agent"), serving) with { ProxyConnection = proxyConnection, ClusterCidr = parse.GetValue(clusterCidr)! };
                    return new RealNode(nodeConnection, nodeOptions, loggerFactory);
                };
            }

            ClusterDnsOptions? clusterDns = null;
            if (!disabled.IsDisabled(DisabledComponents.ClusterDns))
            {
                if (ClusterDnsOptionsOf(parse.GetValue(clusterDnsBind), parse.GetValue(clusterDnsPort), parse.GetValue(agentFlags.ClusterDns)!, parse.GetValue(agentFlags.ClusterDomain)!, parse.GetValue(clusterDnsResolvConf)!) is not { } dns)
                {
                    Console.Error.WriteLine($"invalid --cluster-dns-bind {parse.GetValue(clusterDnsBind)}, --cluster-dns-port {parse.GetValue(clusterDnsPort)} or --cluster-dns {parse.GetValue(agentFlags.ClusterDns)}");
                    return 1;
                }

                clusterDns = dns;
            }

            // The Ingress controller serves on this machine's addresses and reports them, as K3s' Traefik behind
            // ServiceLB does for a one-node cluster.
            var ingress = disabled.IsDisabled(DisabledComponents.Ingress)
                ? null
                : new IngressOptions
                {
                    HttpPort = parse.GetValue(ingressHttpPort),
                    HttpsPort = parse.GetValue(ingressHttpsPort),
                    StatusAddresses = [(advertised ?? MachineInfoReader.PrimaryAddress()).ToString()],
                };
            // The cloud controller manager (K3s' embedded one, its load balancer part ServiceLB's role).
            Func<ClusterConnection, ILoggerFactory, IComponent>? cloudControllers = cloudSettings is null
                ? null
                : (connection, loggerFactory) => CloudControllerFlags.Component(parse.GetValue(cloudFlags.CloudProvider)!, cloudSettings, new CloudControllerManagerOptions { ServiceLoadBalancer = !disabled.IsDisabled(DisabledComponents.ServiceLoadBalancer) }, connection, loggerFactory);
            return await RunAsync(options, controllers, parse.GetValue(disableScheduler), parse.GetValue(simulatedNodes), localAgent, clusterDns, ingress, cloudControllers, ttl, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ApiServerOptions options, ControllerManagerOptions controllers, bool disableScheduler, int simulatedNodes, Func<ApiServerHost, ILoggerFactory, IComponent>? localAgent, ClusterDnsOptions? clusterDns, IngressOptions? ingress, Func<ClusterConnection, ILoggerFactory, IComponent>? cloudControllers, TimeSpan eventTtl, CancellationToken cancellationToken)
    {
        var started = new StartupPhases();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning)
            // The host logs a failed start with its stack trace before rethrowing; the exception is reported below.
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None)
            // Only logs each request (Information and below, never shown here), but any level enabled for it makes
            // ASP.NET Core start an Activity per request, which the etcd client's gRPC calls then trace and propagate.
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None)
            // The Ingress proxy's forwarder logs every request it proxies at Information ("Proxying to ...").
            .AddFilter("Yarp", LogLevel.Warning));
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
            storage = options.SecretsEncryption?.Wrap(storage) ?? storage;
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
        // The scheduler acts as kube-scheduler does, as user system:kube-scheduler with the rights of upstream's
        // bootstrap roles system:kube-scheduler and system:volume-scheduler, not as an administrator.
        var schedulerConnection = connection with { ClientCertificate = host.Pki.ComponentCertificate("scheduler", "system:kube-scheduler") };
        // The controllers (and the scheduler) run on one server at a time, elected on their kube-system Lease as
        // upstream's; node agents run on every server.
        IComponent[] components =
        [
            LeaseElection.Run("controllers", LeaseElection.ControllerManager, () => new ControllerManager(connection, loggerFactory, controllers with { SigningCertificateAuthority = host.Pki.CertificateAuthority, LegacyTokenIssuer = host.ServiceAccountTokens.IssueLegacy }), connection, loggerFactory, TimeProvider.System),
            .. cloudControllers is null ? Array.Empty<IComponent>() : [cloudControllers(connection, loggerFactory)],
            .. disableScheduler ? Array.Empty<IComponent>() : [LeaseElection.Run("scheduler", LeaseElection.Scheduler, () => new SchedulerComponent(schedulerConnection, loggerFactory), schedulerConnection, loggerFactory, TimeProvider.System, LeaseElection.SchedulerEventSource)],
            .. clusterDns is null ? Array.Empty<IComponent>() : [new ClusterDnsServer(connection, clusterDns, loggerFactory)],
            .. simulatedNodes > 0 ? [new SimulatedNodes(connection, new SimulatedNodesOptions { Count = simulatedNodes }, loggerFactory)] : Array.Empty<IComponent>(),
            .. localAgent is null ? Array.Empty<IComponent>() : [localAgent(host, loggerFactory)],
            .. ingress is null ? Array.Empty<IComponent>() : [new IngressProxyServer(connection, ingress, loggerFactory)],
        ];
        await using var running = new RunningComponents();
        try
        {
            foreach (var component in components)
            {
                await running.StartAsync(component, stopping.Token);
            }
        }
        catch (Exception ex) when (stopping.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // SIGTERM while the components were still starting: a stop like any other, not a failed start.
            logger.LogInformation("shutting down");
            return 0;
        }
        catch (IOException ex)
        {
            // A port taken (the cluster DNS's 53): said plainly rather than with a stack trace.
            logger.LogError("{Message}", ex.Message);
            return 1;
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

        if (ingress is null)
        {
            using var client = connection.CreateClient();
            try
            {
                await IngressService.RemoveLeftoverAsync(client, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                logger.LogInformation("shutting down");
                return 0;
            }
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

    /// <summary>The cluster DNS's options from its flags, or null when one is not an address or port.</summary>
    private static ClusterDnsOptions? ClusterDnsOptionsOf(string? bind, int port, string serviceIP, string domain, string resolvConf)
    {
        IPAddress? listen = null;
        if ((bind is { Length: > 0 } && !IPAddress.TryParse(bind, out listen)) || port is < 1 or > 65535 || !IPAddress.TryParse(serviceIP, out var service))
        {
            return null;
        }

        return new ClusterDnsOptions { ListenAddress = listen ?? MachineInfoReader.PrimaryAddress(), Port = port, ServiceIP = service, ClusterDomain = domain, ResolvConf = resolvConf };
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
