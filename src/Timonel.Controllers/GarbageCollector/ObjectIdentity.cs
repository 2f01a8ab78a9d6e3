using k8s.Models;

namespace Timonel.Controllers.GarbageCollector;

/// <summary>
/// Who an object in the owner graph is: the coordinates of an owner reference plus a namespace (upstream's
/// objectReference in pkg/controller/garbagecollector/graph.go). An owner seen only through references carries the
/// referring dependent's namespace until the owner itself is observed.
/// </summary>
public sealed record ObjectIdentity(string ApiVersion, string Kind, string? Namespace, string Name, string Uid)
{
    public static ObjectIdentity OfOwner(V1OwnerReference owner, string? dependentNamespace) =>
        new(owner.ApiVersion, owner.Kind, string.IsNullOrEmpty(dependentNamespace) ? null : dependentNamespace, owner.Name, owner.Uid);

    /// <summary>Whether <paramref name="reference"/> names this object by the same coordinates (ownerReferenceMatchesCoordinates).</summary>
    public bool MatchesCoordinates(V1OwnerReference reference) =>
        reference.Uid == Uid && reference.Name == Name && reference.Kind == Kind && reference.ApiVersion == ApiVersion;

    /// <summary>Upstream's objectReference.String(), which its events and logs quote.</summary>
    public override string ToString() => $"[{ApiVersion}/{Kind}, namespace: {Namespace}, name: {Name}, uid: {Uid}]";
}
