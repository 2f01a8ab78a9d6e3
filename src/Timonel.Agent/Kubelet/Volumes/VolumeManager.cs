using System.Collections.Concurrent;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// The kubelet's volume manager (pkg/kubelet/volumemanager, reduced to one node and in-tree plugins): sets up a pod's
/// volumes under <c>&lt;root&gt;/pods/&lt;uid&gt;/volumes</c> before its containers start, keeps ConfigMap, Secret,
/// projected and downwardAPI contents current while it runs (on <see cref="RefreshAsync"/> and every
/// <see cref="VolumeManagerOptions.RefreshPeriod"/> while <see cref="RunAsync"/> runs), and tears them down. One pod's
/// volumes are worked on by one caller at a time.
/// </summary>
public sealed class VolumeManager : IVolumeManager
{
    private readonly VolumeManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PodVolumeDirectories _directories;
    private readonly ServiceAccountTokens _tokens;
    private readonly IReadOnlyList<IVolumePlugin> _plugins;
    private readonly ClaimExpansion _expansion;
    private readonly ConcurrentDictionary<string, MountedPod> _pods = new(StringComparer.Ordinal);

    public VolumeManager(IPodObjects objects, VolumeManagerOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _directories = new PodVolumeDirectories(options.RootDirectory);
        _tokens = new ServiceAccountTokens(objects, time);
        var memory = new MemoryMedium(logger, options.CanMount);
        var content = new ContentVolume(time, memory);
        var keys = new KeySourceFiles(objects);
        _expansion = new ClaimExpansion(objects);
        _plugins =
        [
            new EmptyDirVolumePlugin(memory),
            new HostPathVolumePlugin(),
            KeysVolumePlugin.ConfigMaps(keys, content),
            KeysVolumePlugin.Secrets(keys, content),
            new DownwardApiVolumePlugin(content, options.NodeAllocatable),
            new ProjectedVolumePlugin(keys, _tokens, content, options.NodeAllocatable),
            new PersistentVolumeClaimVolumePlugin(objects, _expansion),
        ];
    }

    public event Action<FileSystemResize>? FileSystemResized
    {
        add => _expansion.Finished += value;
        remove => _expansion.Finished -= value;
    }

    /// <summary>The pods whose volumes are set up, by UID.</summary>
    public IReadOnlyCollection<string> MountedPods => [.. _pods.Keys];

    public async Task<IReadOnlyDictionary<string, MountedVolume>> MountAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var mounted = _pods.GetOrAdd(pod.Metadata.Uid, _ => new MountedPod(pod));
        await mounted.Lock.WaitAsync(cancellationToken);
        try
        {
            mounted.Pod = pod;
            var volumes = new Dictionary<string, MountedVolume>(StringComparer.Ordinal);
            foreach (var volume in pod.Spec.Volumes ?? [])
            {
                volumes[volume.Name] = await SetUpAsync(pod, volume, PluginFor(volume), cancellationToken);
            }

            return volumes;
        }
        finally
        {
            mounted.Lock.Release();
        }
    }

    public async Task RefreshAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        if (!_pods.TryGetValue(pod.Metadata.Uid, out var mounted))
        {
            return;
        }

        await mounted.Lock.WaitAsync(cancellationToken);
        VolumeSetupException? failure = null;
        try
        {
            if (!_pods.ContainsKey(pod.Metadata.Uid))
            {
                return;
            }

            mounted.Pod = pod;
            foreach (var volume in pod.Spec.Volumes ?? [])
            {
                if (volume.PersistentVolumeClaim is not null || volume.Ephemeral is not null)
                {
                    await FinishExpansionAsync(pod, volume, cancellationToken);
                }
                else if (_plugins.FirstOrDefault(p => p.Handles(volume)) is { Refreshes: true } plugin)
                {
                    try
                    {
                        await SetUpAsync(pod, volume, plugin, cancellationToken);
                    }
                    catch (VolumeSetupException e)
                    {
                        failure ??= e;
                    }
                }
            }
        }
        finally
        {
            mounted.Lock.Release();
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    /// <summary>Refreshes every mounted pod's volumes every <see cref="VolumeManagerOptions.RefreshPeriod"/> (jittered) until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = _options.RefreshPeriod * (1 + (Random.Shared.NextDouble() / 2));
            try
            {
                await Task.Delay(wait, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach (var mounted in _pods.Values)
            {
                try
                {
                    await RefreshAsync(mounted.Pod, cancellationToken);
                }
                catch (VolumeSetupException e)
                {
                    _logger.LogWarning("Volume {Volume} of pod {Namespace}/{Pod} could not be refreshed: {Message}", e.Volume, mounted.Pod.Metadata.NamespaceProperty, mounted.Pod.Metadata.Name, e.Message);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Should a tmpfs refuse to go, nothing under it is removed and the call throws <see cref="IOException"/>.</summary>
    public async Task UnmountAsync(string podUid, CancellationToken cancellationToken)
    {
        if (!_pods.TryGetValue(podUid, out var mounted))
        {
            // Mounted before a restart of the kubelet: nothing else can be working on it.
            RemoveVolumes(podUid);
            return;
        }

        await mounted.Lock.WaitAsync(cancellationToken);
        try
        {
            RemoveVolumes(podUid);
            _pods.TryRemove(podUid, out _);
        }
        finally
        {
            mounted.Lock.Release();
        }
    }

    private void RemoveVolumes(string podUid)
    {
        var volumes = _directories.VolumesDirectory(podUid);
        foreach (var mountPoint in MountTable.MountsUnder(volumes))
        {
            VolumeSyscalls.Unmount(mountPoint);
        }

        if (MountTable.MountsUnder(volumes).Count > 0)
        {
            throw new IOException($"volumes of pod {podUid} are still mounted under {volumes}");
        }

        if (Directory.Exists(volumes))
        {
            Directory.Delete(volumes, recursive: true);
        }

        _tokens.Forget(podUid);
    }

    private IVolumePlugin? PluginFor(V1Volume volume) => _plugins.FirstOrDefault(p => p.Handles(volume));

    private async Task<MountedVolume> SetUpAsync(V1Pod pod, V1Volume volume, IVolumePlugin? plugin, CancellationToken cancellationToken)
    {
        if (plugin is null)
        {
            throw new VolumeSetupException(volume.Name, $"failed to get Plugin from volumeSpec for volume \"{volume.Name}\" err=no volume plugin matched");
        }

        try
        {
            var directory = plugin.DirectoryName is { } name ? _directories.VolumeDirectory(pod.Metadata.Uid, name, volume.Name) : "";
            return await plugin.SetUpAsync(new VolumeSetupContext(pod, volume, directory), cancellationToken);
        }
        catch (Exception e) when (e is not VolumeSetupException and not OperationCanceledException)
        {
            // API errors (forbidden, unreachable), file system errors and names unfit for a path fail the volume for this attempt.
            throw new VolumeSetupException(volume.Name, e.Message);
        }
    }

    // Online expansion: a failure leaves the mounted volume as it is, for the next refresh to try again.
    private async Task FinishExpansionAsync(V1Pod pod, V1Volume volume, CancellationToken cancellationToken)
    {
        try
        {
            await _expansion.FinishAsync(pod, volume, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning("Expansion of volume {Volume} of pod {Namespace}/{Pod} not finished: {Message}", volume.Name, pod.Metadata.NamespaceProperty, pod.Metadata.Name, e.Message);
        }
    }

    private sealed class MountedPod(V1Pod pod)
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public V1Pod Pod { get; set; } = pod;
    }
}
