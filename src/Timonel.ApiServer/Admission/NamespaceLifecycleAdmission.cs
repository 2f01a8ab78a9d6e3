using System.Collections.Concurrent;
using Timonel.Api.Validation;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// NamespaceLifecycle (plugin/pkg/admission/namespace/lifecycle/admission.go), first in the chain: the namespaces the
/// cluster needs (default, kube-system, kube-public) may not be deleted; nothing is created or updated in a namespace
/// that does not exist (404 namespaces "x" not found); nothing new is created in a namespace being terminated.
/// Namespaces themselves, cluster-scoped objects and deletions pass. The namespace is read from the watch cache (the
/// store on a miss, upstream's live lookup), so an admitted request costs no datastore read. Without
/// <see cref="AdmissionServices"/> (a bare store) only the immortal namespaces are guarded.
/// </summary>
public sealed class NamespaceLifecycleAdmission(AdmissionServices? services = null) : IMutatingAdmissionPlugin
{
    /// <summary>
    /// forceLiveLookupTTL: after a namespace's deletion is admitted, creates in it read the namespace from the store
    /// for this long, as the watch cache may not have seen it terminate yet.
    /// </summary>
    private static readonly TimeSpan _forceLiveLookupTtl = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _forceLiveLookup = new(StringComparer.Ordinal);

    /// <summary>corev1.NamespaceTerminatingCause: the cause a create in a terminating namespace carries.</summary>
    private const string TerminatingCause = "NamespaceTerminating";

    public string Name => "NamespaceLifecycle";

    public AdmittedResource? Resource => null;

    public bool Handles(AdmissionOperation operation) => operation is AdmissionOperation.Create or AdmissionOperation.Update or AdmissionOperation.Delete;

    public async ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        var isNamespace = attributes.Resource.Group.Length == 0 && attributes.Resource.Plural == "namespaces";
        if (isNamespace)
        {
            // Which names are immortal is the namespace strategy's to say.
            if (attributes.Operation == AdmissionOperation.Delete && attributes.Resource.Strategy is IDeleteAdmissionStrategy strategy)
            {
                strategy.AdmitDelete(attributes.Name);
            }

            if (attributes.Operation == AdmissionOperation.Delete && services is not null)
            {
                var now = services.Time.GetUtcNow();
                // Forget the expired ones here, so the map holds no more than the namespaces deleted in the last TTL.
                foreach (var expired in _forceLiveLookup.Where(e => e.Value <= now).ToList())
                {
                    _forceLiveLookup.TryRemove(expired);
                }

                _forceLiveLookup[attributes.Name] = now + _forceLiveLookupTtl;
            }

            return;
        }

        if (services is null || string.IsNullOrEmpty(attributes.Namespace) || attributes.Operation == AdmissionOperation.Delete)
        {
            return;
        }

        var ns = attributes.Namespace;
        var namespaces = services.Registry.Get("", "namespaces");
        var stored = await namespaces.FindRecentStoredAsync(null, ns, cancellationToken)
            ?? throw StatusException.NotFound("", "namespaces", ns);
        var terminating = NamespaceTermination.IsTerminating(stored);
        if (!terminating && attributes.Operation == AdmissionOperation.Create && _forceLiveLookup.TryGetValue(ns, out var until))
        {
            if (until > services.Time.GetUtcNow())
            {
                terminating = (await namespaces.GetAsync(null, ns, cancellationToken)).DeletionTimestamp() is not null;
            }
            else
            {
                _forceLiveLookup.TryRemove(KeyValuePair.Create(ns, until));
            }
        }

        if (attributes.Operation == AdmissionOperation.Create && terminating)
        {
            var resource = attributes.Resource;
            throw new StatusException(
                403,
                "Forbidden",
                $"{StatusException.Qualified(resource.Plural, resource.Group)} \"{attributes.Name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
                attributes.Name,
                resource.Group,
                resource.Plural,
                [new StatusCause(TerminatingCause, $"namespace {ns} is being terminated", "metadata.namespace")]);
        }
    }
}
