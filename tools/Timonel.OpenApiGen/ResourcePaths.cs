using System.Globalization;
using k8s.Models;
using Timonel.ApiServer.Registry;

namespace Timonel.OpenApiGen;

/// <summary>
/// The operations upstream's apiserver installs for one resource (k8s.io/apiserver/pkg/endpoints/installer.go): list,
/// create and deletecollection on the collection, get/replace/patch/delete on an item, the status and scale
/// subresources and the create-only ones a resource declares, the all-namespaces list and the deprecated /watch/ paths, with upstream's operation ids; create alone
/// for a create-only kind.
/// </summary>
internal sealed class ResourcePaths(KubernetesModels models)
{
    public IEnumerable<PathOperation> For(ResourceDefinition resource)
    {
        var kindType = models.TypeFor(resource.Group, resource.Version, resource.Kind);
        if (kindType is null)
        {
            yield break;
        }

        var listType = models.TypeFor(resource.Group, resource.Version, resource.Kind + "List") ?? kindType;
        var gvk = (resource.Group, resource.Version, resource.Kind);
        var prefix = resource.Group.Length == 0 ? $"/api/{resource.Version}" : $"/apis/{resource.Group}/{resource.Version}";
        var scope = resource.Namespaced ? "/namespaces/{namespace}" : "";
        var collection = $"{prefix}{scope}/{resource.Plural}";
        var item = collection + "/{name}";
        var idPart = GroupPart(resource.Group) + Capitalize(resource.Version);
        var namespaced = resource.Namespaced ? "Namespaced" : "";
        var tag = (resource.Group.Length == 0 ? "core" : resource.Group.Split('.')[0]) + "_" + resource.Version;
        var kind = resource.Kind;

        PathOperation Op(string path, string method, string action, string verb, string suffix, string description, IReadOnlyList<QueryParameter> parameters, OperationBody body, Type? bodyType, Type response, (string, string, string)? otherKind = null) =>
            new(path, method, action, $"{verb}{idPart}{suffix}", description, tag, otherKind ?? gvk, parameters, body, bodyType, response);

        var create = Op(collection, "post", "post", "create", $"{namespaced}{kind}", $"create a {kind}", QueryParameter.Write, OperationBody.Object, kindType, kindType);
        if (resource.CreateOnly)
        {
            // A review (rest.Creater alone) gets the create operation only, as upstream's installer gives it.
            yield return create;
            yield break;
        }

        yield return Op(collection, "get", "list", "list", $"{namespaced}{kind}", $"list or watch objects of kind {kind}", QueryParameter.List, OperationBody.None, null, listType);
        yield return create;
        yield return Op(collection, "delete", "deletecollection", "delete", $"Collection{namespaced}{kind}", $"delete collection of {kind}", QueryParameter.DeleteCollection, OperationBody.DeleteOptions, typeof(V1DeleteOptions), typeof(V1Status));
        yield return Op(item, "get", "get", "read", $"{namespaced}{kind}", $"read the specified {kind}", [], OperationBody.None, null, kindType);
        yield return Op(item, "put", "put", "replace", $"{namespaced}{kind}", $"replace the specified {kind}", QueryParameter.Write, OperationBody.Object, kindType, kindType);
        yield return Op(item, "patch", "patch", "patch", $"{namespaced}{kind}", $"partially update the specified {kind}", QueryParameter.Patch, OperationBody.Patch, typeof(V1Patch), kindType);
        yield return Op(item, "delete", "delete", "delete", $"{namespaced}{kind}", $"delete a {kind}", QueryParameter.Delete, OperationBody.DeleteOptions, typeof(V1DeleteOptions), kindType);

        if (resource.HasStatus)
        {
            var status = item + "/status";
            yield return Op(status, "get", "get", "read", $"{namespaced}{kind}Status", $"read status of the specified {kind}", [], OperationBody.None, null, kindType);
            yield return Op(status, "put", "put", "replace", $"{namespaced}{kind}Status", $"replace status of the specified {kind}", QueryParameter.Write, OperationBody.Object, kindType, kindType);
            yield return Op(status, "patch", "patch", "patch", $"{namespaced}{kind}Status", $"partially update status of the specified {kind}", QueryParameter.Patch, OperationBody.Patch, typeof(V1Patch), kindType);
        }

        if (resource.HasScale)
        {
            var scale = item + "/scale";
            var scaleKind = ("autoscaling", "v1", "Scale");
            yield return Op(scale, "get", "get", "read", $"{namespaced}{kind}Scale", $"read scale of the specified {kind}", [], OperationBody.None, null, typeof(V1Scale), scaleKind);
            yield return Op(scale, "put", "put", "replace", $"{namespaced}{kind}Scale", $"replace scale of the specified {kind}", QueryParameter.Write, OperationBody.Object, typeof(V1Scale), typeof(V1Scale), scaleKind);
            yield return Op(scale, "patch", "patch", "patch", $"{namespaced}{kind}Scale", $"partially update scale of the specified {kind}", QueryParameter.Patch, OperationBody.Patch, typeof(V1Patch), typeof(V1Scale), scaleKind);
        }

        // The create-only subresources (pods/binding, pods/eviction, serviceaccounts/token), with the kind each takes.
        foreach (var subresource in resource.Subresources.Where(s => !s.Streams && s.Verbs.SequenceEqual(["create"])))
        {
            var (subGroup, subVersion) = subresource.Group is { } group ? (group, subresource.Version!) : (resource.Group, resource.Version);
            var subKind = subresource.Kind ?? kind;
            if (models.TypeFor(subGroup, subVersion, subKind) is { } subType)
            {
                yield return Op($"{item}/{subresource.Name}", "post", "post", "create", $"{namespaced}{kind}{Capitalize(subresource.Name)}", $"create {subresource.Name} of a {kind}", QueryParameter.Write, OperationBody.Object, subType, subType, (subGroup, subVersion, subKind));
            }
        }

        var watchPrefix = $"{prefix}/watch{scope}/{resource.Plural}";
        yield return Op(watchPrefix, "get", "watchlist", "watch", $"{namespaced}{kind}List", $"watch individual changes to a list of {kind}. deprecated: use the 'watch' parameter with a list operation instead.", QueryParameter.List, OperationBody.None, null, typeof(V1WatchEvent));
        yield return Op(watchPrefix + "/{name}", "get", "watch", "watch", $"{namespaced}{kind}", $"watch changes to an object of kind {kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.", QueryParameter.List, OperationBody.None, null, typeof(V1WatchEvent));

        if (resource.Namespaced)
        {
            yield return Op($"{prefix}/{resource.Plural}", "get", "list", "list", $"{kind}ForAllNamespaces", $"list or watch objects of kind {kind}", QueryParameter.List, OperationBody.None, null, listType);
            yield return Op($"{prefix}/watch/{resource.Plural}", "get", "watchlist", "watch", $"{kind}ListForAllNamespaces", $"watch individual changes to a list of {kind}. deprecated: use the 'watch' parameter with a list operation instead.", QueryParameter.List, OperationBody.None, null, typeof(V1WatchEvent));
        }
    }

    /// <summary>Upstream's operation-id spelling of a group: "" → Core, rbac.authorization.k8s.io → RbacAuthorization.</summary>
    private static string GroupPart(string group) =>
        group.Length == 0 ? "Core" : string.Concat(group.Replace(".k8s.io", "", StringComparison.Ordinal).Split('.').Select(Capitalize));

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpper(s[0], CultureInfo.InvariantCulture) + s[1..];
}
