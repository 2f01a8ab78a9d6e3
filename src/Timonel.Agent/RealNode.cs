using System.Net;
using Microsoft.Extensions.Logging;
using Timonel.Agent.Containerd;
using Timonel.Agent.Kubelet;
using Timonel.Agent.Kubelet.Containers;
using Timonel.Agent.Kubelet.Containers.Sandbox;
using Timonel.Agent.Kubelet.Images;
using Timonel.Agent.Kubelet.Prober;
using Timonel.Agent.Kubelet.Server;
using Timonel.Agent.Kubelet.Volumes;
using Timonel.Agent.Proxy;
using Timonel.Client;
using Timonel.Client.Components;
using KubeletComponent = Timonel.Agent.Kubelet.Kubelet;

namespace Timonel.Agent;

/// <summary>
/// This machine as a node (K3s' agent): the agent's containerd (or a given CRI runtime), the kubelet over it with
/// its volume manager, container configuration and prober, and the kubelet API the API server streams logs, exec and
/// port-forward through, and the Service proxy (kube-proxy's nftables mode). A machine that cannot run containers (not root; containerd, runc or the CNI plugins
/// missing) gets a clear message and no node, and the control plane beside it keeps serving.
/// </summary>
public sealed class RealNode : IComponent
{
    private readonly ClusterConnection _connection;
    private readonly RealNodeOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private AgentContainerd? _containerd;
    private KubeletComponent? _kubelet;
    private KubeletServer? _server;
    private ServiceProxy? _proxy;
    private readonly CancellationTokenSource _stopping = new();
    private Task _volumeRefresh = Task.CompletedTask;
    private Task _ready = Task.CompletedTask;

    public RealNode(ClusterConnection connection, RealNodeOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        _connection = connection;
        _options = options;
        _loggerFactory = loggerFactory;
        _time = time ?? TimeProvider.System;
    }

    public string Name => "agent";

    public Task Ready => _ready;

    /// <summary>Why this machine runs no node, or null when it does.</summary>
    public string? Unavailable { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = _loggerFactory.CreateLogger<RealNode>();
        try
        {
            _containerd = await AgentContainerd.StartAsync(_options.Containerd, logger, cancellationToken);
        }
        catch (MissingPrerequisitesException ex)
        {
            Unavailable = ex.Message;
            logger.LogError("this machine runs no node: {Message}", ex.Message);
            return;
        }

        var runtime = _containerd.Runtime;
        var objects = new KubernetesPodObjects(_connection.CreateClient());
        // The machine is read once: the Node, allocatable, container limits and the serving certificate share it.
        var machine = Kubelet.Node.MachineInfoReader.Read(_options.KubeletDirectory);
        var allocatable = Kubelet.Node.KubeletNodeObjects.Allocatable(machine, Kubelet.Node.KubeletNodeObjects.DefaultMaxPods).AsQuantities();
        var volumes = new VolumeManager(objects, new VolumeManagerOptions { RootDirectory = _options.KubeletDirectory, NodeAllocatable = allocatable }, _time, _loggerFactory.CreateLogger<VolumeManager>());
        // ConfigMap, Secret, projected and downwardAPI contents of running pods are rewritten as they change.
        _volumeRefresh = Task.Run(() => volumes.RunAsync(_stopping.Token), CancellationToken.None);
        var configs = new ContainerConfigFactory(objects, runtime, new ContainerConfigOptions { NodeAllocatable = allocatable, MachineMemoryBytes = machine.MemoryBytes, ClusterDomain = _options.ClusterDomain });
        var sandboxes = new SandboxConfigFactory(new SandboxConfigOptions { ClusterDns = [_options.ClusterDns], ClusterDomain = _options.ClusterDomain });
        var probes = new ProbeManager(runtime, _time);
        var cniConfDir = _containerd.CniConfDir;
        var kubelet = _kubelet = new KubeletComponent(
            _connection,
            new KubeletOptions
            {
                NodeName = _options.NodeName,
                Machine = machine,
                DataDirectory = _options.KubeletDirectory,
                PodCidr = _options.PodCidr,
                // Pod IPs are reserved under the data dir: they outlive an agent restart, as the pods do.
                PodCidrChosen = podCidr => CniConfig.Write(cniConfDir, podCidr, ipamDataDir: Path.Combine(_options.AgentDir, "cni")),
            },
            runtime,
            _containerd.Images,
            volumes,
            configs,
            sandboxes,
            probes,
            _loggerFactory,
            _time,
            new PodPullCredentials(objects, _containerd.Credentials));
        await kubelet.StartAsync(cancellationToken);
        // Asked for after registration: a joined node's CSR is approved against the addresses its Node reports.
        var serving = await _options.ServingCertificate(Kubelet.Node.KubeletNodeObjects.Addresses(_options.NodeName, machine), cancellationToken);
        _server = await KubeletServer.StartAsync(
            new KubeletServerOptions { Endpoint = new IPEndPoint(IPAddress.Any, _options.KubeletPort), ServingCertificate = serving, ClusterCa = _connection.CertificateAuthority },
            runtime,
            _loggerFactory,
            _time,
            cancellationToken);
        _ready = kubelet.Ready;
        await StartProxyAsync(logger, cancellationToken);
    }

    private async Task StartProxyAsync(ILogger logger, CancellationToken cancellationToken)
    {
        if (await ProxyModes.ChooseAsync(_options.ProxyMode, _options.ClusterCidr, _time, logger, cancellationToken) is not { } backend)
        {
            return;
        }

        _proxy = new ServiceProxy(
            _options.ProxyConnection ?? _connection,
            new ServiceProxyOptions { NodeName = _options.NodeName, ClusterCidr = _options.ClusterCidr },
            _loggerFactory,
            _time,
            backend);
        await _proxy.StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _volumeRefresh;
        }
        catch (OperationCanceledException)
        {
        }


        if (_proxy is not null)
        {
            // The rules stay in the kernel, as the containers they lead to outlive the agent.
            await _proxy.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_kubelet is not null)
        {
            await _kubelet.DisposeAsync();
        }

        if (_containerd is not null)
        {
            await _containerd.DisposeAsync();
        }

        _stopping.Dispose();
    }
}
