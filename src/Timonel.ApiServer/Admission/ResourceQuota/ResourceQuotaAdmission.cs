using System.Text.Json.Nodes;
using Timonel.Api.Quantities;
using Timonel.Api.Quota;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Admission.ResourceQuota;

/// <summary>
/// The ResourceQuota plugin (plugin/pkg/admission/resourcequota): a namespaced create, or an update that changes
/// what an object costs (services and claims; a pod's resources cannot change), is charged against every quota of
/// its namespace that limits something it uses. Refused when a quota would be exceeded, when a quota limits cpu or
/// memory and a container states neither, or when the controller has not counted a limited resource yet. Admitted
/// requests raise each quota's status.used at once, with a compare-and-swap on the quota (retried on conflict and
/// judged again against the fresh usage), so two concurrent creates cannot both take the last unit. The resource
/// quota controller recounts later and corrects any charge for a write that then failed.
/// </summary>
public sealed class ResourceQuotaAdmission : IValidatingAdmissionPlugin
{
    private readonly StoreRegistry _registry;
    private readonly TimeProvider _time;

    public ResourceQuotaAdmission(AdmissionServices services)
    {
        _registry = services.Registry;
        _time = services.Time;
    }

    public string Name => "ResourceQuota";

    public AdmittedResource? Resource => null;

    public bool Handles(AdmissionOperation operation) => operation is AdmissionOperation.Create or AdmissionOperation.Update;

    public async ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        // Subresources and cluster-scoped objects are never charged.
        if (attributes.Subresource.Length > 0 || string.IsNullOrEmpty(attributes.Namespace) || attributes.Object is null)
        {
            return;
        }

        var kind = new QuotaKind(attributes.Resource.Group, attributes.Resource.Plural);
        // Pods and plain object counts are charged on create only (their evaluators' Handles); services and claims on
        // updates too, for the difference.
        if (attributes.Operation == AdmissionOperation.Update && kind != QuotaKind.Services && kind != QuotaKind.PersistentVolumeClaims)
        {
            return;
        }

        var store = _registry.Get("", "resourcequotas");
        var list = await store.ListAsync(attributes.Namespace, ListQuery.All, cancellationToken);
        var quotas = (list["items"] as JsonArray ?? []).OfType<JsonObject>().Where(q => QuotaEvaluator.Matches(q, kind, attributes.Object)).ToList();
        if (quotas.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var quota in quotas)
        {
            var hard = ResourceList.FromJson(quota.ObjectAt("status", "hard"));
            var restricted = QuotaEvaluator.MatchingResources(kind, hard.Keys);
            if (QuotaEvaluator.Constraints(kind, restricted, attributes.Object) is { } missing)
            {
                throw Forbidden(attributes, $"failed quota: {quota.Name()}: {missing}");
            }

            var used = ResourceList.FromJson(quota.ObjectAt("status", "used"));
            if (restricted.Any(r => !used.ContainsKey(r)))
            {
                throw Forbidden(attributes, $"status unknown for quota: {quota.Name()}, resources: {string.Join(",", restricted.Order(StringComparer.Ordinal))}");
            }
        }

        var delta = QuotaEvaluator.Usage(kind, attributes.Object, now);
        if (attributes.OldObject is { } old)
        {
            delta = ResourceList.SubtractNonNegative(delta, QuotaEvaluator.Usage(kind, old, now));
        }

        if (ResourceList.IsZero(delta))
        {
            return;
        }

        // Every quota is judged before any is charged, so a refusal by the last leaves the others untouched.
        foreach (var quota in quotas)
        {
            Charge(attributes, quota, delta);
        }

        if (attributes.DryRun)
        {
            return;
        }

        var statusStrategy = new StatusStrategy(store.Definition.Strategy);
        foreach (var quota in quotas)
        {
            await store.GuaranteedUpdateAsync(attributes.Namespace, quota.Name()!, current =>
            {
                // Judged again on the quota as stored now: another request may have charged it meanwhile.
                if (Charge(attributes, current, delta) is { } newUsage)
                {
                    current.Child("status")["used"] = ResourceList.ToJson(newUsage);
                }

                return current;
            }, statusStrategy, dryRun: false, cancellationToken);
        }
    }

    /// <summary>The quota's used after the charge, null when it limits none of the delta; throws when it would be exceeded.</summary>
    private static Dictionary<string, Quantity>? Charge(AdmissionAttributes attributes, JsonObject quota, IReadOnlyDictionary<string, Quantity> delta)
    {
        var hard = ResourceList.FromJson(quota.ObjectAt("status", "hard"));
        var used = ResourceList.FromJson(quota.ObjectAt("status", "used"));
        var requested = ResourceList.Mask(delta, hard.Keys);
        if (requested.Count == 0)
        {
            return null;
        }

        var newUsage = ResourceList.Add(used, requested);
        var exceeded = ResourceList.Exceeding(ResourceList.Mask(newUsage, requested.Keys), hard);
        if (exceeded.Count > 0)
        {
            throw Forbidden(attributes, $"exceeded quota: {quota.Name()}, requested: {ResourceList.Print(ResourceList.Mask(requested, exceeded))}, "
                + $"used: {ResourceList.Print(ResourceList.Mask(used, exceeded))}, limited: {ResourceList.Print(ResourceList.Mask(hard, exceeded))}");
        }

        return newUsage;
    }

    // admission.NewForbidden: the object's name, as the store has settled it.
    private static StatusException Forbidden(AdmissionAttributes attributes, string detail) =>
        StatusException.Forbidden(attributes.Resource.Group, attributes.Resource.Plural, attributes.Object?.Name() ?? attributes.Name, detail);
}
