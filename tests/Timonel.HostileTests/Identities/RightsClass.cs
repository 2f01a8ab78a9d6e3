using System.Text;
using Timonel.HostileTests.Classes;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Identities;

/// <summary>
/// Every verb on every served kind, and the subresources that act (exec, attach, port-forward, eviction, binding,
/// token, scale, status, finalize, proxy, log): real requests, not dry runs, for identities that may do none of them.
/// Their expected answer is the identity's (<see cref="IdentityClass"/>); the placeholder here is a refusal.
/// </summary>
internal sealed class RightsClass : HostileClass
{
    private static readonly Expectation _refused = new(403);

    private static readonly Dictionary<string, string[]> _subresources = new(StringComparer.Ordinal)
    {
        ["pods"] = ["log", "exec", "attach", "portforward", "proxy", "eviction", "binding", "ephemeralcontainers", "resize"],
        ["serviceaccounts"] = ["token"],
        ["deployments"] = ["scale"],
        ["replicasets"] = ["scale"],
        ["statefulsets"] = ["scale"],
        ["replicationcontrollers"] = ["scale"],
        ["namespaces"] = ["finalize"],
        ["nodes"] = ["proxy"],
        ["services"] = ["proxy"],
    };

    public override string Name => "rights";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        foreach (var kind in target.Kinds)
        {
            var body = Encoding.UTF8.GetBytes(target.BaseBody(kind).ToJsonString());
            var name = target.Existing.Any(e => e.Kind == kind) ? SuiteTarget.ExistingName : "hostile-" + kind.Kind.ToLowerInvariant();
            var collection = kind.CollectionPath;
            var item = $"{collection}/{name}";
            yield return HostileCase.WithBody($"{kind} create", "POST", collection, "application/json", body, _refused);
            yield return HostileCase.WithBody($"{kind} update", "PUT", item, "application/json", body, _refused);
            yield return HostileCase.WithBody($"{kind} merge patch", "PATCH", item, "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"hostile\":\"yes\"}}}"u8.ToArray(), _refused);
            yield return HostileCase.WithBody($"{kind} strategic patch", "PATCH", item, "application/strategic-merge-patch+json", "{\"metadata\":{\"labels\":{\"hostile\":\"yes\"}}}"u8.ToArray(), _refused);
            yield return HostileCase.WithBody($"{kind} json patch", "PATCH", item, "application/json-patch+json", "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"hostile\":\"yes\"}}]"u8.ToArray(), _refused);
            yield return HostileCase.WithBody($"{kind} apply", "PATCH", item + "?fieldManager=hostile&force=true", "application/apply-patch+yaml", body, _refused);
            yield return new HostileCase($"{kind} delete", "DELETE", item, _refused);
            yield return new HostileCase($"{kind} deletecollection", "DELETE", collection, _refused);
            yield return new HostileCase($"{kind} get", "GET", item, _refused);
            yield return new HostileCase($"{kind} list", "GET", collection, _refused);
            yield return new HostileCase($"{kind} watch", "GET", collection + "?watch=1&timeoutSeconds=1", _refused);
            yield return new HostileCase($"{kind} legacy watch", "GET", collection.Replace("/v1/", "/v1/watch/", StringComparison.Ordinal) + "?timeoutSeconds=1", _refused);
            yield return HostileCase.WithBody($"{kind} status", "PUT", item + "/status", "application/json", body, _refused);
            foreach (var subresource in _subresources.GetValueOrDefault(kind.Resource, []))
            {
                yield return new HostileCase($"{kind} {subresource} get", "GET", $"{item}/{subresource}", _refused);
                yield return HostileCase.WithBody($"{kind} {subresource} post", "POST", $"{item}/{subresource}", "application/json", "{}"u8.ToArray(), _refused);
                yield return HostileCase.WithBody($"{kind} {subresource} put", "PUT", $"{item}/{subresource}", "application/json", "{}"u8.ToArray(), _refused);
            }
        }
    }
}
