using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Watch;

namespace Timonel.ApiServer.Auth.Rbac;

/// <summary>
/// Brings the stored default policy in line with <see cref="BootstrapPolicy"/> at every start, as upstream's RBAC
/// post-start hook does (pkg/registry/rbac/reconciliation): a missing object is created; one annotated
/// rbac.authorization.kubernetes.io/autoupdate "false" is left alone; any other gets what it lacks added (rules not
/// covered, aggregation selectors, subjects, labels and annotations) and keeps everything a user added. A binding whose
/// roleRef changed is deleted and created again. Reads come from the watch cache: when nothing changed, one list and
/// no write.
/// </summary>
public static class BootstrapPolicyReconciler
{
    private const string Group = "rbac.authorization.k8s.io";

    /// <summary>Reconciles every default object; returns the highest revision written (0 when nothing was).</summary>
    public static async Task<long> EnsureAsync(StoreRegistry registry, WatchCache cache, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var kv in cache.List(RbacPolicyFeed.Prefix).Items)
        {
            if (JsonNode.Parse(kv.Value) is JsonObject obj)
            {
                stored[kv.Key] = obj;
            }
        }

        // Writes go out together: on a first start about a hundred creates share the datastore's group commits.
        var writes = new List<Task<long>>();
        foreach (var role in BootstrapPolicy.AllRoles)
        {
            var resource = role.Namespace is null ? RbacPolicyCache.ClusterRoles : RbacPolicyCache.Roles;
            var expected = ToObject(role);
            var store = registry.Get(Group, resource);
            if (!stored.TryGetValue(Key(resource, role.Namespace, role.Name), out var current))
            {
                writes.Add(CreateAsync(store, role.Namespace, expected, cancellationToken));
            }
            else if (ReconcileRole(current, expected) is not null)
            {
                writes.Add(UpdateAsync(store, role.Namespace, role.Name, s => ReconcileRole(s, expected), cancellationToken));
            }
        }

        foreach (var binding in BootstrapPolicy.AllBindings)
        {
            var resource = binding.Namespace is null ? RbacPolicyCache.ClusterRoleBindings : RbacPolicyCache.RoleBindings;
            var expected = ToObject(binding);
            var store = registry.Get(Group, resource);
            if (!stored.TryGetValue(Key(resource, binding.Namespace, binding.Name), out var current))
            {
                writes.Add(CreateAsync(store, binding.Namespace, expected, cancellationToken));
            }
            else if (IsProtected(current))
            {
                continue;
            }
            else if (!JsonNode.DeepEquals(current["roleRef"], expected["roleRef"]))
            {
                writes.Add(RecreateAsync(store, binding, current, expected, cancellationToken));
            }
            else if (ReconcileBinding(current, expected) is not null)
            {
                writes.Add(UpdateAsync(store, binding.Namespace, binding.Name, s => ReconcileBinding(s, expected), cancellationToken));
            }
        }

        var written = writes.Count == 0 ? 0 : (await Task.WhenAll(writes).ConfigureAwait(false)).Max();
        return written;
    }

    /// <summary>computeReconciledRole in union mode: the role with what it lacks added, or null when it lacks nothing or is protected.</summary>
    public static JsonObject? ReconcileRole(JsonObject existing, JsonObject expected)
    {
        if (IsProtected(existing))
        {
            return null;
        }

        var result = (JsonObject)existing.DeepClone();
        var changed = MergeMetadata(result, expected);

        var (_, missing) = RuleCoverage.Covers(PolicyRule.ListFromJson(existing), PolicyRule.ListFromJson(expected));
        if (missing.Count > 0)
        {
            var rules = result["rules"] as JsonArray ?? [];
            result["rules"] = rules;
            foreach (var rule in missing)
            {
                rules.Add(rule.ToJson());
            }

            changed = true;
        }

        if (expected.ArrayAt("aggregationRule", "clusterRoleSelectors") is { } expectedSelectors)
        {
            var aggregation = result["aggregationRule"] as JsonObject ?? [];
            result["aggregationRule"] = aggregation;
            var selectors = aggregation["clusterRoleSelectors"] as JsonArray ?? [];
            aggregation["clusterRoleSelectors"] = selectors;
            foreach (var selector in expectedSelectors)
            {
                if (!selectors.Any(s => JsonNode.DeepEquals(s, selector)))
                {
                    selectors.Add(selector!.DeepClone());
                    changed = true;
                }
            }
        }

        return changed ? result : null;
    }

    /// <summary>computeReconciledRoleBinding in union mode (the roleRef is the caller's concern): missing subjects, labels and annotations added.</summary>
    public static JsonObject? ReconcileBinding(JsonObject existing, JsonObject expected)
    {
        if (IsProtected(existing))
        {
            return null;
        }

        var result = (JsonObject)existing.DeepClone();
        var changed = MergeMetadata(result, expected);
        var subjects = result["subjects"] as JsonArray ?? [];
        foreach (var subject in expected.ArrayAt("subjects").Objects())
        {
            if (!subjects.OfType<JsonObject>().Any(s => SameSubject(s, subject)))
            {
                subjects.Add(subject.DeepClone());
                changed = true;
            }
        }

        if (changed)
        {
            result["subjects"] = subjects;
        }

        return changed ? result : null;
    }

    public static JsonObject ToObject(BootstrapRole role)
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = Group + "/v1",
            ["kind"] = role.Namespace is null ? "ClusterRole" : "Role",
            ["metadata"] = Metadata(role.Name, role.Namespace, role.Labels),
        };
        if (role.AggregateFrom is { } selectors)
        {
            obj["aggregationRule"] = new JsonObject
            {
                ["clusterRoleSelectors"] = new JsonArray([.. selectors.Select(s => (JsonNode)new JsonObject { ["matchLabels"] = StringMap(s) })]),
            };
        }

        if (role.Rules.Count > 0)
        {
            obj["rules"] = new JsonArray([.. role.Rules.Select(r => (JsonNode)r.ToJson())]);
        }

        return obj;
    }

    public static JsonObject ToObject(BootstrapBinding binding) => new()
    {
        ["apiVersion"] = Group + "/v1",
        ["kind"] = binding.Namespace is null ? "ClusterRoleBinding" : "RoleBinding",
        ["metadata"] = Metadata(binding.Name, binding.Namespace, new Dictionary<string, string>()),
        ["roleRef"] = new JsonObject { ["apiGroup"] = Group, ["kind"] = binding.RoleKind, ["name"] = binding.RoleName },
        ["subjects"] = new JsonArray([.. binding.Subjects.Select(s => (JsonNode)Subject(s))]),
    };

    private static JsonObject Subject(BootstrapSubject subject)
    {
        // As the API defaults them: users and groups in the RBAC group, service accounts in the core group (omitted).
        var json = new JsonObject { ["kind"] = subject.Kind };
        if (subject.Kind != RbacSubject.ServiceAccount)
        {
            json["apiGroup"] = Group;
        }

        json["name"] = subject.Name;
        if (subject.Namespace is not null)
        {
            json["namespace"] = subject.Namespace;
        }

        return json;
    }

    private static bool SameSubject(JsonObject a, JsonObject b) =>
        a.StringAt("kind") == b.StringAt("kind") && a.StringAt("name") == b.StringAt("name") && (a.StringAt("namespace") ?? "") == (b.StringAt("namespace") ?? "");

    private static JsonObject Metadata(string name, string? ns, IReadOnlyDictionary<string, string> labels)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        var all = new Dictionary<string, string>(labels) { [BootstrapPolicy.BootstrappingLabel] = BootstrapPolicy.BootstrappingValue };
        metadata["labels"] = StringMap(all);
        metadata["annotations"] = new JsonObject { [BootstrapPolicy.AutoUpdateAnnotation] = "true" };
        return metadata;
    }

    private static JsonObject StringMap(IReadOnlyDictionary<string, string> map) =>
        new(map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));

    // Labels and annotations the existing object lacks are added; values it has win (upstream's merge(expected, existing)).
    private static bool MergeMetadata(JsonObject result, JsonObject expected)
    {
        var changed = false;
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (expected.ObjectAt("metadata", field) is not { } wanted)
            {
                continue;
            }

            var metadata = result.Child("metadata");
            var have = metadata[field] as JsonObject ?? [];
            foreach (var (key, value) in wanted)
            {
                if (!have.ContainsKey(key))
                {
                    have[key] = value?.DeepClone();
                    changed = true;
                }
            }

            metadata[field] = have;
        }

        return changed;
    }

    private static bool IsProtected(JsonObject obj) => obj.StringAt("metadata", "annotations", BootstrapPolicy.AutoUpdateAnnotation) == "false";

    private static string Key(string resource, string? ns, string name) =>
        ns is null ? $"{RbacPolicyFeed.Prefix}{resource}/{name}" : $"{RbacPolicyFeed.Prefix}{resource}/{ns}/{name}";

    private static async Task<long> CreateAsync(GenericStore store, string? ns, JsonObject obj, CancellationToken cancellationToken)
    {
        try
        {
            return Revision(await store.CreateAsync(ns, obj, dryRun: false, cancellationToken).ConfigureAwait(false));
        }
        catch (StatusException ex) when (ex.Code == 409)
        {
            // Created meanwhile by another server sharing the datastore.
            return 0;
        }
    }

    // The roleRef cannot change in place (validation): upstream deletes the binding and creates it again, keeping the
    // subjects it had.
    private static async Task<long> RecreateAsync(GenericStore store, BootstrapBinding binding, JsonObject current, JsonObject expected, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteAsync(binding.Namespace, binding.Name, new DeleteOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (StatusException ex) when (ex.Code == 404)
        {
            // Another server sharing the datastore got there first.
        }

        var recreated = ReconcileBinding(current, expected) ?? (JsonObject)current.DeepClone();
        recreated["roleRef"] = expected["roleRef"]!.DeepClone();
        recreated["metadata"] = new JsonObject { ["name"] = binding.Name, ["labels"] = recreated.At("metadata", "labels")?.DeepClone(), ["annotations"] = recreated.At("metadata", "annotations")?.DeepClone() };
        if (binding.Namespace is not null)
        {
            recreated["metadata"]!["namespace"] = binding.Namespace;
        }

        return await CreateAsync(store, binding.Namespace, recreated, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> UpdateAsync(GenericStore store, string? ns, string name, Func<JsonObject, JsonObject?> reconcile, CancellationToken cancellationToken)
    {
        var updated = await store.GuaranteedUpdateAsync(ns, name, current => reconcile(current) ?? current, store.Definition.Strategy, dryRun: false, cancellationToken).ConfigureAwait(false);
        return Revision(updated);
    }

    private static long Revision(JsonObject obj) => long.TryParse(obj.StringAt("metadata", "resourceVersion"), out var revision) ? revision : 0;
}
