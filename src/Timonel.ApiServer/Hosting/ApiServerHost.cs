using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Timonel.ApiServer.Admission;
using Timonel.ApiServer.Audit;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Auth.Rbac;
using Timonel.ApiServer.Encryption;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Endpoints.Kubelets;
using Timonel.ApiServer.OpenApi;
using Timonel.ApiServer.Pki;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.Core;
using Timonel.ApiServer.Registry.CustomResources;
using Timonel.ApiServer.Watch;
using Timonel.Storage;

namespace Timonel.ApiServer.Hosting;

/// <summary>
/// A running API server: certificates and tokens in the data dir, the watch cache over the datastore, and Kestrel
/// serving HTTPS with client-certificate and bearer-token authentication.
/// </summary>
public sealed class ApiServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly WatchCache _cache;
    private readonly ServiceAccountTokens _serviceAccountTokens;
    private readonly CustomResourceRegistrar _customResources;
    private readonly ApiServerEndpointReconciler? _endpoints;
    private readonly RbacPolicyFeed _rbacFeed;
    private Auditor _auditor = Auditor.Off;
    private KubeletConnector? _kubelets;

    private ApiServerHost(WebApplication app, WatchCache cache, RbacPolicyFeed rbacFeed, CustomResourceRegistrar customResources, ServiceAccountTokens serviceAccountTokens, ClusterPki pki, JoinToken token, Uri url, string kubeconfigPath, StoreRegistry registry, ApiServerEndpointReconciler? endpoints)
    {
        _endpoints = endpoints;
        _rbacFeed = rbacFeed;
        _app = app;
        _cache = cache;
        _customResources = customResources;
        _serviceAccountTokens = serviceAccountTokens;
        Pki = pki;
        Token = token;
        Url = url;
        KubeconfigPath = kubeconfigPath;
        Registry = registry;
    }

    public ClusterPki Pki { get; }

    public JoinToken Token { get; }

    public Uri Url { get; }

    public string KubeconfigPath { get; }

    public StoreRegistry Registry { get; }

    public ServiceAccountTokens ServiceAccountTokens => _serviceAccountTokens;

    public static async Task<ApiServerHost> StartAsync(ApiServerOptions options, IStorageBackend storage, ILoggerFactory loggerFactory, CancellationToken cancellationToken, StartupPhases? phases = null)
    {
        Directory.CreateDirectory(options.DataDir);
        var tlsDirectory = Path.Combine(options.DataDir, "tls");
        // In-cluster clients dial the kubernetes Service's cluster IP and check it against the serving certificate.
        var pki = ClusterPki.LoadOrCreate(tlsDirectory, [.. options.TlsSans, ServiceAllocations.KubernetesServiceIpOf(options.ServiceCidr)]);
        var token = JoinToken.LoadOrCreate(options, KubeconfigWriter.CaHash(pki.CertificateAuthority));
        var time = TimeProvider.System;
        var serviceAccountTokens = ServiceAccountTokens.LoadOrCreate(tlsDirectory, time);
        phases?.Mark("pki");

        var cache = new WatchCache(storage, loggerFactory.CreateLogger<WatchCache>());
        await cache.StartAsync(cancellationToken);
        phases?.Mark("cache");
        var serviceAllocations = new ServiceAllocations(storage, options.ServiceCidr, options.ServiceNodePortRange);
        var hooks = new Dictionary<(string, string), IStoreHook> { [("", "services")] = serviceAllocations };
        var registry = new StoreRegistry(ResourceCatalog.BuiltIn(new BuiltInStrategies()), storage, cache, time, hooks);

        var customResources = new CustomResourceRegistrar(registry, cache, loggerFactory.CreateLogger<CustomResourceRegistrar>());
        await customResources.StartAsync(cancellationToken);
        phases?.Mark("registry");
        var clientCertificates = new ClientCertificateAuthenticator(pki.CertificateAuthority);
        var staticTokens = StaticTokenAuthenticator.Load(token, options.TokenAuthFile);
        var serviceAccountAuthenticator = new ServiceAccountTokenAuthenticator(serviceAccountTokens, new TokenObjectLookup(registry), time);
        var bootstrapTokens = new BootstrapTokenAuthenticator(registry, time);
        IAuthenticator[] authenticators = [clientCertificates, staticTokens, serviceAccountAuthenticator, bootstrapTokens];
        // RBAC decides from memory: Roles, ClusterRoles and bindings followed on the watch cache.
        var rbacPolicy = new RbacPolicyCache();
        var rbacFeed = new RbacPolicyFeed(cache, rbacPolicy, loggerFactory.CreateLogger<RbacPolicyFeed>());
        rbacFeed.Start();
        // kube-apiserver's chain for --authorization-mode=Node,RBAC: the privileged group first (short-circuit),
        // then the Node authorizer (its place, before RBAC), then RBAC.
        var nodeGraph = Auth.Node.NodeGraphPopulator.Start(cache, loggerFactory.CreateLogger<Auth.Node.NodeGraphPopulator>());
        var authorizer = new AuthorizerChain([new SystemMastersAuthorizer(), new Auth.Node.NodeAuthorizer(nodeGraph), new RbacAuthorizer(rbacPolicy)]);
        registry.Admission = AdmissionChain.Default(new AdmissionServices(registry, authorizer, time));
        // The empty builder: no configuration files (whose reload-on-change watcher walks the working directory), no
        // default logging or routing; only Kestrel with HTTPS. Start → ready is a benchmark target.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            GoHttpLimits.Apply(kestrel.Limits);
            kestrel.Listen(options.BindAddress, options.HttpsListenPort, listen => listen.UseHttps(https =>
            {
                https.ServerCertificate = pki.Serving;
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                // Chains are checked against the cluster CA only, by the authenticator; TLS just carries the certificate.
                https.ClientCertificateValidation = (certificate, _, _) => clientCertificates.IsIssuedByCa(certificate);
            }).Use(next => connection => MalformedVersionGuard.OnConnectionAsync(connection, next)));
        });
        var app = builder.Build();
        var kubelets = new KubeletConnector(pki.KubeletClient, pki.CertificateAuthority);
        var openApi = new OpenApiService();
        var fieldValidation = new FieldValidation(openApi);
        var patches = new PatchHandler(fieldValidation);
        var createOnly = new CreateOnlyHandler(new CreateOnlyResources(authorizer, [staticTokens, serviceAccountAuthenticator, bootstrapTokens], time, registry), fieldValidation);
        var subresources = new SubresourceHandler(new SubresourceServices(registry, patches, fieldValidation, new TokenRequestHandler(serviceAccountTokens, time), time, kubelets));
        var resources = new ResourceHandler(registry, new WatchStreamer(cache, storage), patches, subresources, fieldValidation, createOnly);
        var pipeline = new RequestPipeline(authenticators, authorizer, registry, resources, new OpenApiEndpoints(openApi), loggerFactory.CreateLogger<RequestPipeline>());
        if (options.SecretsEncryption is { } encryption)
        {
            var encryptionEndpoints = new SecretsEncryptionEndpoints(encryption, clientCertificates);
            app.Use(next => context => SecretsEncryptionEndpoints.Handles(context) ? encryptionEndpoints.HandleAsync(context) : next(context));
        }

        pipeline.Limits = new Overload.RequestLimits(options.Overload);
        // The policy is read before anything listens, so a bad policy file stops the start (as upstream's).
        var auditor = options.Audit.Enabled
            ? new Auditor(AuditPolicy.Load(options.Audit.PolicyFile!), AuditLogBackend.Create(options.Audit, time, loggerFactory.CreateLogger<AuditLogBackend>()), time)
            : Auditor.Off;
        pipeline.Audit = auditor;
        app.Run(pipeline.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            // Nothing started here may outlive a failed start (the watch cache would keep following a store the
            // caller is about to close).
            await app.DisposeAsync();
            await customResources.DisposeAsync();
            await rbacFeed.DisposeAsync();
            await cache.DisposeAsync();
            serviceAccountTokens.Dispose();
            await auditor.DisposeAsync();
            kubelets.Dispose();
            throw;
        }

        phases?.Mark("https");

        var port = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port).First();
        var host = options.BindAddress.Equals(IPAddress.Any) || options.BindAddress.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : options.BindAddress.ToString();
        var url = new Uri($"https://{host}:{port}");
        pipeline.ServerAddress = $"{host}:{port}";
        pipeline.CaCertificates = pki.CertificateAuthority.ExportCertificatePem() + "\n";
        var advertiseAddress = options.AdvertiseAddress?.ToString() ?? AdvertiseAddress(options.BindAddress);
        var advertisePort = options.AdvertisePort ?? port;
        await ClusterBootstrap.EnsureAsync(registry, serviceAllocations.KubernetesServiceIp, advertiseAddress, advertisePort, cancellationToken);
        // The default RBAC policy, reconciled at every start; ready only once the authorizer sees it.
        var rbacWritten = await BootstrapPolicyReconciler.EnsureAsync(registry, cache, cancellationToken);
        await rbacFeed.WaitForRevisionAsync(rbacWritten, cancellationToken);
        var endpoints = await ApiServerEndpointReconciler.StartIfRoutableAsync(registry, advertiseAddress, advertisePort, time, loggerFactory.CreateLogger<ApiServerEndpointReconciler>(), cancellationToken);
        var kubeconfig = Path.Combine(options.DataDir, "kubeconfig.yaml");
        KubeconfigWriter.Write(kubeconfig, pki, url.ToString().TrimEnd('/'));
        pipeline.MarkReady();
        phases?.Mark("bootstrap");
        return new ApiServerHost(app, cache, rbacFeed, customResources, serviceAccountTokens, pki, token, url, kubeconfig, registry, endpoints) { _auditor = auditor, _kubelets = kubelets };
    }

    /// <summary>The address other hosts and pods reach this server at: the bind address, or the first non-loopback IPv4.</summary>
    private static string AdvertiseAddress(IPAddress bind)
    {
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any))
        {
            return bind.ToString();
        }

        return System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString() ?? "127.0.0.1";
    }

    public async ValueTask DisposeAsync()
    {
        // Off the kubernetes service first, while the datastore is still open.
        if (_endpoints is not null)
        {
            await _endpoints.DisposeAsync();
        }

        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stopping.Token);
        }

        await _app.DisposeAsync();
        await _customResources.DisposeAsync();
        await _rbacFeed.DisposeAsync();
        await _cache.DisposeAsync();
        _serviceAccountTokens.Dispose();
        _kubelets?.Dispose();
        // Last, so the events of requests still finishing above reach the log.
        await _auditor.DisposeAsync();
    }
}
