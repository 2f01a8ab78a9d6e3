using k8s;
using Microsoft.Extensions.Logging;
using Timonel.Client;
using Timonel.Client.Components;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Controllers.Certificates;
using Timonel.Controllers.ClusterRoleAggregation;
using Timonel.Controllers.CronJob;
using Timonel.Controllers.DaemonSet;
using Timonel.Controllers.Deployment;
using Timonel.Controllers.Disruption;
using Timonel.Controllers.Endpoints;
using Timonel.Controllers.EndpointSlice;
using Timonel.Controllers.GarbageCollector;
using Timonel.Controllers.Job;
using Timonel.Controllers.Namespace;
using Timonel.Controllers.NodeIpam;
using Timonel.Controllers.NodeLifecycle;
using Timonel.Controllers.PodGc;
using Timonel.Controllers.ReplicaSet;
using Timonel.Controllers.Replication;
using Timonel.Controllers.ResourceQuota;
using Timonel.Controllers.ServiceAccount;
using Timonel.Controllers.StatefulSet;
using Timonel.Controllers.TaintEviction;
using Timonel.Controllers.TtlAfterFinished;
using Timonel.Controllers.Volume;

namespace Timonel.Controllers;

/// <summary>
/// Runs the controllers (kube-controller-manager's role) as clients of an API server, over its REST API, reading
/// through informers shared among them (one watch per kind and selector, whatever the number of controllers).
/// </summary>
public sealed class ControllerManager : IComponent
{
    private readonly ClusterConnection _connection;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ControllerManagerOptions _options;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RunningControllers? _running;

    public ControllerManager(ClusterConnection connection, ILoggerFactory loggerFactory, ControllerManagerOptions? options = null)
    {
        _connection = connection;
        _loggerFactory = loggerFactory;
        _options = options ?? new ControllerManagerOptions();
    }

    public string Name => "controllers";

    public Task Ready => _ready.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var running = _running = RunningControllers.Open(_connection, _loggerFactory);
        var (client, informers, events, time) = (running.Client, running.Informers, running.Events, TimeProvider.System);
        var namespaces = informers.For(CoreListWatches.Namespaces(client));
        await DeployStorageClassesAsync(client, cancellationToken);
        var provisioners = _options.LocalPathStorage is { } localPath
            ? new Dictionary<string, IVolumeProvisioner>(_options.VolumeProvisioners) { [LocalPathProvisioner.Name] = localPath.CreateProvisioner(client, time) }
            : _options.VolumeProvisioners;
        ControllerBase[] controllers =
        [
            new NamespaceController(client, namespaces, time, _loggerFactory.CreateLogger<NamespaceController>()),
            new ServiceAccountsController(
                client,
                namespaces,
                informers.For(CoreListWatches.ServiceAccounts(client, $"metadata.name={ServiceAccountsController.DefaultName}")),
                time,
                _loggerFactory.CreateLogger<ServiceAccountsController>()),
            new RootCaCertPublisher(
                client,
                namespaces,
                informers.For(CoreListWatches.ConfigMaps(client, $"metadata.name={RootCaCertPublisher.ConfigMapName}")),
                _connection.CertificateAuthority.ExportCertificatePem() + "\n",
                time,
                _loggerFactory.CreateLogger<RootCaCertPublisher>()),
            new ReplicaSetController(client, informers.For(AppsListWatches.ReplicaSets(client)), informers.For(CoreListWatches.Pods(client)), events.NewRecorder(ReplicaSetController.Component), time, _loggerFactory.CreateLogger<ReplicaSetController>()),
            ReplicationManager.Create(client, informers.For(ReplicationListWatches.ReplicationControllers(client)), informers.For(CoreListWatches.Pods(client)), events.NewRecorder(ReplicationManager.Component), time, _loggerFactory.CreateLogger(typeof(ReplicationManager))),
            new DeploymentController(client, informers.For(AppsListWatches.Deployments(client)), informers.For(AppsListWatches.ReplicaSets(client)), informers.For(CoreListWatches.Pods(client)), events.NewRecorder(DeploymentController.Component), time, _loggerFactory.CreateLogger<DeploymentController>()),
            new StatefulSetController(client, informers.For(AppsListWatches.StatefulSets(client)), informers.For(CoreListWatches.Pods(client)), informers.For(AppsListWatches.ControllerRevisions(client)), informers.For(StorageListWatches.PersistentVolumeClaims(client)), events.NewRecorder(StatefulSetController.Component), time, _loggerFactory.CreateLogger<StatefulSetController>()),
            new DaemonSetController(client, informers.For(AppsListWatches.DaemonSets(client)), informers.For(AppsListWatches.ControllerRevisions(client)), informers.For(CoreListWatches.Pods(client)), informers.For(CoreListWatches.Nodes(client)), events.NewRecorder(DaemonSetController.Component), time, _loggerFactory.CreateLogger<DaemonSetController>()),
            new EndpointsController(client, informers.For(ServiceListWatches.Services(client)), informers.For(CoreListWatches.Pods(client)), informers.For(ServiceListWatches.Endpoints(client)), time, _loggerFactory.CreateLogger<EndpointsController>()),
            new EndpointSliceController(client, informers.For(ServiceListWatches.Services(client)), informers.For(CoreListWatches.Pods(client)), informers.For(ServiceListWatches.EndpointSlices(client, EndpointSliceController.LabelSelector)), time, _loggerFactory.CreateLogger<EndpointSliceController>()),
            new NodeLifecycleController(client, informers.For(CoreListWatches.Nodes(client)), informers.For(CoordinationListWatches.Leases(client, NodeLifecycleController.LeaseNamespace)), time, _loggerFactory.CreateLogger<NodeLifecycleController>()),
            new NodeIpamController(client, informers.For(CoreListWatches.Nodes(client)), _options.ClusterCidr, time, _loggerFactory.CreateLogger<NodeIpamController>()),
            new PodGcController(client, informers.For(CoreListWatches.Pods(client)), informers.For(CoreListWatches.Nodes(client)), time, _loggerFactory.CreateLogger<PodGcController>(), _options.TerminatedPodGcThreshold),
            new TaintEvictionController(client, informers.For(CoreListWatches.Pods(client)), informers.For(CoreListWatches.Nodes(client)), events.NewRecorder(TaintEvictionController.Component), time, _loggerFactory.CreateLogger<TaintEvictionController>()),
            new GarbageCollectorController(client, events.NewRecorder(GarbageCollectorController.Component), time, _loggerFactory),
            new ClusterRoleAggregationController(client, informers.For(RbacListWatches.ClusterRoles(client)), time, _loggerFactory.CreateLogger<ClusterRoleAggregationController>()),
            new DisruptionController(client, informers.For(PolicyListWatches.PodDisruptionBudgets(client)), informers.For(CoreListWatches.Pods(client)), informers.For(AppsListWatches.ReplicaSets(client)), informers.For(ReplicationListWatches.ReplicationControllers(client)), informers.For(AppsListWatches.Deployments(client)), informers.For(AppsListWatches.StatefulSets(client)), time, _loggerFactory.CreateLogger<DisruptionController>()),
            new ResourceQuotaController(client, informers.For(QuotaListWatches.ResourceQuotas(client)), informers.For(CoreListWatches.Pods(client)), informers.For(ServiceListWatches.Services(client)), [.. QuotaListWatches.Replenishing(client).Select(informers.For)], time, _loggerFactory.CreateLogger<ResourceQuotaController>()),
            new JobController(client, informers.For(BatchListWatches.Jobs(client)), informers.For(CoreListWatches.Pods(client)), events.NewRecorder(JobController.Component), time, _loggerFactory.CreateLogger<JobController>()),
            new CronJobController(client, informers.For(BatchListWatches.CronJobs(client)), informers.For(BatchListWatches.Jobs(client)), events.NewRecorder(CronJobController.Component), time, _loggerFactory.CreateLogger<CronJobController>()),
            new TtlAfterFinishedController(client, informers.For(BatchListWatches.Jobs(client)), time, _loggerFactory.CreateLogger<TtlAfterFinishedController>()),
            new CsrApprovingController(client, informers.For(CertificatesListWatches.CertificateSigningRequests(client)), informers.For(CoreListWatches.Nodes(client)), time, _loggerFactory.CreateLogger<CsrApprovingController>()),
            new PersistentVolumeController(client, informers.For(StorageListWatches.PersistentVolumes(client)), informers.For(StorageListWatches.PersistentVolumeClaims(client)), informers.For(StorageListWatches.StorageClasses(client)), provisioners, events.NewRecorder(PersistentVolumeController.Component), time, _loggerFactory.CreateLogger<PersistentVolumeController>()),
            new VolumeResizeController(client, informers.For(StorageListWatches.PersistentVolumeClaims(client)), informers.For(StorageListWatches.PersistentVolumes(client)), provisioners, events.NewRecorder(VolumeResizeController.Component), time, _loggerFactory.CreateLogger<VolumeResizeController>()),
            new PvcProtectionController(client, informers.For(StorageListWatches.PersistentVolumeClaims(client)), informers.For(CoreListWatches.Pods(client)), time, _loggerFactory.CreateLogger<PvcProtectionController>()),
            new PvProtectionController(client, informers.For(StorageListWatches.PersistentVolumes(client)), time, _loggerFactory.CreateLogger<PvProtectionController>()),
            .. _options.SigningCertificateAuthority is { } ca
                ? [new CsrSigningController(client, informers.For(CertificatesListWatches.CertificateSigningRequests(client)), ca, time, _loggerFactory.CreateLogger<CsrSigningController>())]
                : Array.Empty<ControllerBase>(),
            .. _options.LegacyTokenIssuer is { } issue
                ? [new TokensController(client, informers.For(CoreListWatches.Secrets(client, $"type={TokensController.SecretType}")), informers.For(CoreListWatches.ServiceAccounts(client)), issue, _connection.CertificateAuthority.ExportCertificatePem() + "\n", time, _loggerFactory.CreateLogger<TokensController>())]
                : Array.Empty<ControllerBase>(),
        ];
        await running.StartAsync(controllers, _ready, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_running is not null)
        {
            await _running.DisposeAsync();
        }
    }

    // Before the controllers start, so the first claims already find the default class.
    private async Task DeployStorageClassesAsync(Kubernetes client, CancellationToken cancellationToken)
    {
        if (!_options.LocalPathStorageClass && _options.StorageClassAliases.Count == 0)
        {
            return;
        }

        try
        {
            await new PackagedStorageClasses(client, _loggerFactory.CreateLogger<PackagedStorageClasses>()).EnsureAsync(_options.LocalPathStorageClass, _options.StorageClassAliases, cancellationToken);
        }
        catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            _loggerFactory.CreateLogger<PackagedStorageClasses>().LogWarning("Storage classes not deployed: {Message}", ex.Message);
        }
    }
}
