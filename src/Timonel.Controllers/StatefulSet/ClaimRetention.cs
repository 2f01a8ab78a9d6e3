using k8s.Models;

namespace Timonel.Controllers.StatefulSet;

/// <summary>
/// spec.persistentVolumeClaimRetentionPolicy as owner references on the claims (upstream's stateful_set_utils.go,
/// StatefulSetAutoDeletePVC, GA in 1.32), which the garbage collector then acts on:
/// Retain/Retain no reference; whenDeleted=Delete a controller reference to the set; whenScaled=Delete a controller
/// reference to the pod once its ordinal is condemned (scaled away); both, the set's until condemned, then the pod's.
/// A claim whose reference names an older set or pod (another UID), or another controller, is left alone.
/// </summary>
internal static class ClaimRetention
{
    public static (string WhenDeleted, string WhenScaled) Policy(V1StatefulSet set) =>
        (set.Spec.PersistentVolumeClaimRetentionPolicy?.WhenDeleted ?? StatefulPods.Retain, set.Spec.PersistentVolumeClaimRetentionPolicy?.WhenScaled ?? StatefulPods.Retain);

    /// <summary>The controller reference a claim gets to its pod (metav1.NewControllerRef(pod, v1 Pod)).</summary>
    public static V1OwnerReference PodReference(V1Pod pod) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Name = pod.Metadata.Name,
        Uid = pod.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>isClaimOwnerUpToDate.</summary>
    public static bool IsUpToDate(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod)
    {
        if (HasStaleReference(claim, "apps/v1", "StatefulSet", set.Metadata) || HasStaleReference(claim, "v1", "Pod", pod.Metadata))
        {
            // Managed by an earlier set or pod of that name: not to be touched.
            return true;
        }

        if (HasUnexpectedController(claim, set, pod))
        {
            // Our references must go, but none is added on top of another controller.
            return !HasReference(claim, set.Metadata.Uid) && !HasReference(claim, pod.Metadata.Uid);
        }

        if (HasNonControllerOwner(claim, set, pod))
        {
            return false;
        }

        var (whenDeleted, whenScaled) = Policy(set);
        var scaledDown = !StatefulPods.InOrdinalRange(set, pod);
        var setRef = HasReference(claim, set.Metadata.Uid);
        var podRef = HasReference(claim, pod.Metadata.Uid);
        return (whenScaled, whenDeleted) switch
        {
            (StatefulPods.Retain, StatefulPods.Delete) => setRef && !podRef,
            (StatefulPods.Delete, StatefulPods.Retain) => !setRef && scaledDown == podRef,
            (StatefulPods.Delete, StatefulPods.Delete) => scaledDown != setRef && scaledDown == podRef,
            _ => !setRef && !podRef, // Retain/Retain, and unknown values treated as Retain
        };
    }

    /// <summary>updateClaimOwnerRefForSetAndPod: the claim's references to the set and pod, rewritten for the policy.</summary>
    public static void Update(V1PersistentVolumeClaim claim, V1StatefulSet set, V1OwnerReference setReference, V1Pod pod)
    {
        var unexpected = HasUnexpectedController(claim, set, pod);
        var refs = (claim.Metadata.OwnerReferences ?? [])
            .Where(r => !Matches(r, "apps/v1", "StatefulSet", set.Metadata) && !Matches(r, "v1", "Pod", pod.Metadata))
            .ToList();
        if (!unexpected)
        {
            var (whenDeleted, whenScaled) = Policy(set);
            var scaledDown = !StatefulPods.InOrdinalRange(set, pod);
            switch (whenScaled, whenDeleted)
            {
                case (StatefulPods.Retain, StatefulPods.Delete):
                    Add(refs, setReference);
                    break;
                case (StatefulPods.Delete, StatefulPods.Retain) when scaledDown:
                    Add(refs, PodReference(pod));
                    break;
                case (StatefulPods.Delete, StatefulPods.Delete):
                    Add(refs, scaledDown ? PodReference(pod) : setReference);
                    break;
            }
        }

        claim.Metadata.OwnerReferences = refs.Count == 0 ? null : refs;
    }

    /// <summary>hasStaleOwnerRef: a reference naming the object whose UID differs.</summary>
    public static bool HasStaleReference(V1PersistentVolumeClaim claim, string apiVersion, string kind, V1ObjectMeta owner) =>
        claim.Metadata.OwnerReferences?.FirstOrDefault(r => Matches(r, apiVersion, kind, owner)) is { } match && match.Uid != owner.Uid;

    private static bool HasUnexpectedController(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod)
    {
        if (Policy(set) is (StatefulPods.Retain, StatefulPods.Retain))
        {
            return false;
        }

        foreach (var reference in claim.Metadata.OwnerReferences ?? [])
        {
            if (Matches(reference, "apps/v1", "StatefulSet", set.Metadata))
            {
                if (reference.Uid != set.Metadata.Uid)
                {
                    return true;
                }

                continue;
            }

            if (Matches(reference, "v1", "Pod", pod.Metadata))
            {
                if (reference.Uid != pod.Metadata.Uid)
                {
                    return true;
                }

                continue;
            }

            if (reference.Controller == true)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasNonControllerOwner(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod) =>
        (claim.Metadata.OwnerReferences ?? []).Any(r => (r.Uid == set.Metadata.Uid || r.Uid == pod.Metadata.Uid) && r.Controller != true);

    private static bool HasReference(V1PersistentVolumeClaim claim, string? uid) =>
        (claim.Metadata.OwnerReferences ?? []).Any(r => r.Uid == uid);

    private static bool Matches(V1OwnerReference reference, string apiVersion, string kind, V1ObjectMeta owner) =>
        reference.ApiVersion == apiVersion && reference.Kind == kind && reference.Name == owner.Name;

    private static void Add(List<V1OwnerReference> refs, V1OwnerReference reference)
    {
        if (!refs.Any(r => r.Uid == reference.Uid))
        {
            refs.Add(reference);
        }
    }
}
