using System.Collections.Concurrent;
using k8s.Models;
using Timonel.Client.Objects;
using Timonel.Client.Volumes;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Plugins.Helper;

namespace Timonel.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// Places pods with persistent volume claims (upstream plugins/volumebinding): a bound claim's volume must allow the
/// node (its node affinity); an unbound claim of a WaitForFirstConsumer class needs an Available volume there, or a
/// class that can provision there. Reserve keeps the volumes chosen from other pods; PreBind, in the binding cycle,
/// pre-binds them (a volume's claimRef) or selects the node on claims to provision, then waits until the PV
/// controller has bound every claim. Claims of Immediate classes are the PV controller's alone: the pod waits.
/// </summary>
public sealed class VolumeBinding : IPreFilterPlugin, IFilterPlugin, IReservePlugin, IPreBindPlugin, IEnqueueExtensions
{
    public const string PluginName = "VolumeBinding";

    // The reasons of upstream's volume_binding.go and binder.go.
    public const string ErrUnboundImmediateClaims = "pod has unbound immediate PersistentVolumeClaims";
    public const string ErrReasonBindConflict = "node(s) didn't find available persistent volumes to bind";
    public const string ErrReasonNodeConflict = "node(s) had volume node affinity conflict";
    public const string ErrReasonPVNotExist = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";

    /// <summary>A class with this provisioner never provisions (upstream's NotSupportedProvisioner).</summary>
    public const string NotSupportedProvisioner = "kubernetes.io/no-provisioner";

    /// <summary>How long PreBind waits for the claims to be bound (upstream's default bindTimeoutSeconds, 600).</summary>
    public static readonly TimeSpan BindTimeout = TimeSpan.FromSeconds(600);

    /// <summary>How often PreBind looks at the claims while waiting (upstream polls every second).</summary>
    public static readonly TimeSpan BindPollInterval = TimeSpan.FromMilliseconds(100);

    private const string StateKey = "PreFilter" + PluginName;

    private readonly FrameworkHandle _handle;

    // Volumes Reserve chose for pods still binding: Filter keeps other pods off them (upstream's assume cache).
    private readonly ConcurrentDictionary<string, string> _assumedVolumes = new(StringComparer.Ordinal);

    public VolumeBinding(FrameworkHandle handle) => _handle = handle;

    public string Name => PluginName;

    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.PersistentVolumeClaim, ActionType.Add | ActionType.Update, "PvcChange"),
        new(EventResource.PersistentVolume, ActionType.Add | ActionType.Update, "PvChange"),
        new(EventResource.StorageClass, ActionType.Add | ActionType.Update, "StorageClassChange"),
        ClusterEvent.NodeAdd,
        ClusterEvent.NodeLabelChange,
    ];

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod)
    {
        var names = PersistentVolumes.PodClaimNames(pod.Pod).ToList();
        if (names.Count == 0)
        {
            return (null, Status.Skip);
        }

        var bound = new List<V1PersistentVolumeClaim>();
        var toBind = new List<V1PersistentVolumeClaim>();
        var immediate = false;
        foreach (var name in names)
        {
            // podHasPVCs: the lister's errors, worded as the API's.
            if (_handle.PersistentVolumeClaims?.Get(pod.Pod.Metadata.NamespaceProperty, name) is not { } claim)
            {
                return (null, Status.UnschedulableAndUnresolvable($"persistentvolumeclaim \"{name}\" not found"));
            }

            if (claim.Status?.Phase == "Lost")
            {
                return (null, Status.UnschedulableAndUnresolvable($"persistentvolumeclaim \"{name}\" bound to non-existent persistentvolume \"{claim.Spec.VolumeName}\""));
            }

            if (claim.Metadata.DeletionTimestamp is not null)
            {
                return (null, Status.UnschedulableAndUnresolvable($"persistentvolumeclaim \"{name}\" is being deleted"));
            }

            if (!string.IsNullOrEmpty(claim.Spec?.VolumeName))
            {
                bound.Add(claim);
            }
            else if (PersistentVolumes.IsDelayBindingMode(claim, ClassNamed))
            {
                toBind.Add(claim);
            }
            else
            {
                immediate = true;
            }
        }

        if (immediate)
        {
            // The PV controller binds these; the pod comes back on the claim's update.
            return (null, Status.UnschedulableAndUnresolvable(ErrUnboundImmediateClaims));
        }

        state.Write(StateKey, new VolumeBindingState { BoundClaims = bound, ClaimsToBind = toBind });
        return (null, Status.Success);
    }

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<VolumeBindingState>(StateKey) is not { } data || node.Node is not { } v1Node)
        {
            return Status.Success;
        }

        var reasons = new List<string>();

        // checkBoundClaims.
        foreach (var claim in data.BoundClaims)
        {
            if (_handle.PersistentVolumes?.Get(null, claim.Spec.VolumeName) is not { } volume)
            {
                reasons.Add(ErrReasonPVNotExist);
                break;
            }

            if (!NodeAffinityAllows(volume, v1Node))
            {
                reasons.Add(ErrReasonNodeConflict);
                break;
            }
        }

        // findMatchingVolumes and checkVolumeProvisions.
        var bindings = new List<(V1PersistentVolumeClaim, V1PersistentVolume)>();
        var provisions = new List<V1PersistentVolumeClaim>();
        var chosen = new HashSet<string>(_assumedVolumes.Keys, StringComparer.Ordinal);
        foreach (var claim in data.ClaimsToBind)
        {
            if (PersistentVolumes.Annotation(claim.Metadata, PersistentVolumes.AnnSelectedNode) is { } selected)
            {
                // Already being provisioned for a node: that node only.
                if (selected != node.Name)
                {
                    reasons.Add(ErrReasonBindConflict);
                    break;
                }

                provisions.Add(claim);
                continue;
            }

            var volume = PersistentVolumes.FindMatchingVolume(claim, _handle.PersistentVolumes?.List() ?? [], delayBinding: true, v => NodeAffinityAllows(v, v1Node), chosen);
            if (volume is not null)
            {
                chosen.Add(volume.Metadata.Name);
                bindings.Add((claim, volume));
            }
            else if (CanProvisionOn(claim, v1Node))
            {
                provisions.Add(claim);
            }
            else
            {
                reasons.Add(ErrReasonBindConflict);
                break;
            }
        }

        if (reasons.Count > 0)
        {
            return Status.UnschedulableAndUnresolvable([.. reasons.Distinct()]);
        }

        data.PodVolumesByNode[node.Name] = new PodVolumes(bindings, provisions);
        return Status.Success;
    }

    public Status Reserve(CycleState state, PodInfo pod, string nodeName)
    {
        if (state.Read<VolumeBindingState>(StateKey) is not { } data || !data.PodVolumesByNode.TryGetValue(nodeName, out var volumes))
        {
            return Status.Success;
        }

        // AssumePodVolumes: a volume another pod took since Filter cannot be promised again.
        foreach (var (_, volume) in volumes.StaticBindings)
        {
            if (!_assumedVolumes.TryAdd(volume.Metadata.Name, pod.Key) && _assumedVolumes[volume.Metadata.Name] != pod.Key)
            {
                Unassume(volumes, pod.Key);
                return Status.UnschedulableAndUnresolvable(ErrReasonBindConflict);
            }
        }

        data.Reserved = volumes;
        return Status.Success;
    }

    public void Unreserve(CycleState state, PodInfo pod, string nodeName)
    {
        if (state.Read<VolumeBindingState>(StateKey)?.Reserved is { } volumes)
        {
            Unassume(volumes, pod.Key);
        }
    }

    public async Task<Status> PreBindAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken)
    {
        if (state.Read<VolumeBindingState>(StateKey)?.Reserved is not { Empty: false } volumes)
        {
            return Status.Skip;
        }

        try
        {
            // bindAPIUpdate: the volume's claimRef (as the PV controller writes it) for static bindings, the
            // selected node for claims to provision; the PV controller does the rest.
            foreach (var (claim, volume) in volumes.StaticBindings)
            {
                if (PersistentVolumes.IsVolumeBoundToClaim(volume, claim) && volume.Spec.ClaimRef.Uid == claim.Metadata.Uid)
                {
                    continue;
                }

                var copy = Clone(volume);
                (copy.Metadata.Annotations ??= new Dictionary<string, string>())[PersistentVolumes.AnnBoundByController] = "yes";
                copy.Spec.ClaimRef = PersistentVolumes.ClaimReference(claim);
                await _handle.Api.UpdatePersistentVolumeAsync(copy, cancellationToken).ConfigureAwait(false);
            }

            foreach (var claim in volumes.DynamicProvisions)
            {
                if (PersistentVolumes.Annotation(claim.Metadata, PersistentVolumes.AnnSelectedNode) == nodeName)
                {
                    continue;
                }

                var copy = Clone(claim);
                (copy.Metadata.Annotations ??= new Dictionary<string, string>())[PersistentVolumes.AnnSelectedNode] = nodeName;
                await _handle.Api.UpdatePersistentVolumeClaimAsync(copy, cancellationToken).ConfigureAwait(false);
            }

            return await WaitForBindingsAsync(pod, volumes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Status.AsStatus(new InvalidOperationException($"binding volumes: {ex.Message}", ex));
        }
        finally
        {
            // Bound or not, the volumes are now what the informers say they are.
            Unassume(volumes, pod.Key);
        }
    }

    // checkBindings, polled until every claim is bound (upstream waits through wait.PollUntilContextTimeout).
    private async Task<Status> WaitForBindingsAsync(PodInfo pod, PodVolumes volumes, CancellationToken cancellationToken)
    {
        var deadline = _handle.Time.GetUtcNow() + BindTimeout;
        var claims = volumes.StaticBindings.Select(b => b.Claim).Concat(volumes.DynamicProvisions).ToList();
        while (true)
        {
            var pending = false;
            foreach (var claim in claims)
            {
                var current = _handle.PersistentVolumeClaims?.Get(claim.Metadata.NamespaceProperty, claim.Metadata.Name);
                if (current is null || current.Metadata.Uid != claim.Metadata.Uid)
                {
                    return Status.AsStatus(new InvalidOperationException($"binding volumes: pvc {claim.Metadata.NamespaceProperty}/{claim.Metadata.Name} was deleted"));
                }

                if (volumes.DynamicProvisions.Contains(claim) && string.IsNullOrEmpty(current.Spec?.VolumeName)
                    && PersistentVolumes.Annotation(current.Metadata, PersistentVolumes.AnnSelectedNode) is null)
                {
                    // The provisioner gave up on the node and asks for another (upstream's reschedule).
                    return Status.AsStatus(new InvalidOperationException($"binding volumes: selectedNode annotation reset for PVC \"{claim.Metadata.Name}\""));
                }

                pending |= !IsFullyBound(current);
            }

            if (!pending)
            {
                return Status.Success;
            }

            if (_handle.Time.GetUtcNow() >= deadline)
            {
                return Status.AsStatus(new TimeoutException("binding volumes: context deadline exceeded"));
            }

            await Task.Delay(BindPollInterval, _handle.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    // isPVCFullyBound: the PV controller finished (volumeName and bind-completed), and the volume names the claim.
    private bool IsFullyBound(V1PersistentVolumeClaim claim) =>
        !string.IsNullOrEmpty(claim.Spec?.VolumeName)
        && PersistentVolumes.HasAnnotation(claim.Metadata, PersistentVolumes.AnnBindCompleted)
        && _handle.PersistentVolumes?.Get(null, claim.Spec.VolumeName) is { } volume
        && PersistentVolumes.IsVolumeBoundToClaim(volume, claim);

    private void Unassume(PodVolumes volumes, string podKey)
    {
        foreach (var (_, volume) in volumes.StaticBindings)
        {
            _assumedVolumes.TryRemove(new KeyValuePair<string, string>(volume.Metadata.Name, podKey));
        }
    }

    // checkVolumeProvisions: a class whose provisioner provisions, with allowedTopologies (if any) matching the node.
    private bool CanProvisionOn(V1PersistentVolumeClaim claim, V1Node node)
    {
        if (ClassNamed(PersistentVolumes.ClaimClass(claim)) is not { } storageClass || storageClass.Provisioner == NotSupportedProvisioner)
        {
            return false;
        }

        return storageClass.AllowedTopologies is not { Count: > 0 } topologies
            || topologies.Any(term => (term.MatchLabelExpressions ?? []).All(r =>
                node.Metadata.Labels?.TryGetValue(r.Key, out var value) == true && r.Values.Contains(value)));
    }

    private V1StorageClass? ClassNamed(string name) => name.Length == 0 ? null : _handle.StorageClasses?.Get(null, name);

    // CheckNodeAffinity: a volume without required node affinity fits every node.
    private static bool NodeAffinityAllows(V1PersistentVolume volume, V1Node node) =>
        volume.Spec?.NodeAffinity?.Required?.NodeSelectorTerms is not { } terms || NodeSelectors.MatchesAnyTerm(terms, node);

    private static T Clone<T>(T obj) => k8s.KubernetesJson.Deserialize<T>(k8s.KubernetesJson.Serialize(obj));
}
