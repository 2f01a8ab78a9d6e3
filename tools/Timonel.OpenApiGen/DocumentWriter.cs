using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.OpenApiGen;

/// <summary>
/// Writes one OpenAPI document over a set of resources: swagger 2.0 (all groups in one, /openapi/v2) or OpenAPI 3.0
/// (one group-version per document, /openapi/v3/&lt;path&gt;), laid out as upstream's kube-openapi lays them out.
/// </summary>
internal sealed class DocumentWriter(KubernetesModels models, bool v3)
{
    // Patch bodies accepted by the server. Strategic merge patch is served but deliberately not advertised: kubectl
    // computes an apply patch from OpenAPI only when the patch operation lists it, and then needs the
    // x-kubernetes-patch-strategy/merge-key markers these generated schemas do not have; without it kubectl falls back
    // to its built-in Go types, which carry exact patch metadata for every built-in kind
    // (k8s.io/kubectl/pkg/cmd/apply/patcher.go, gvkSupportsPatchOpenAPIV3 and buildStrategicMergeFromBuiltins).
    private static readonly string[] _patchContentTypes = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];

    private static readonly string[] _responseContentTypes = ["application/json", "application/yaml"];

    private readonly SchemaBuilder _schemas = new(models, v3);
    private readonly ResourcePaths _paths = new(models);

    public JsonObject Write(IEnumerable<ResourceDefinition> resources)
    {
        var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var operation in resources.SelectMany(_paths.For))
        {
            if (!paths.TryGetValue(operation.Path, out var pathItem))
            {
                paths[operation.Path] = pathItem = new JsonObject();
                pathItem["parameters"] = PathParameters(operation.Path);
            }

            pathItem[operation.Method] = Operation(operation);
        }

        var pathsNode = new JsonObject();
        foreach (var (path, item) in paths)
        {
            pathsNode[path] = item;
        }

        var info = new JsonObject { ["title"] = "Kubernetes", ["version"] = "unversioned" };
        return v3
            ? new JsonObject { ["openapi"] = "3.0.0", ["info"] = info, ["paths"] = pathsNode, ["components"] = new JsonObject { ["schemas"] = _schemas.Definitions() } }
            : new JsonObject { ["swagger"] = "2.0", ["info"] = info, ["paths"] = pathsNode, ["definitions"] = _schemas.Definitions() };
    }

    private JsonObject Operation(PathOperation operation)
    {
        var parameters = new JsonArray();
        foreach (var parameter in operation.Parameters)
        {
            parameters.Add(Parameter(parameter.Name, "query", parameter.Type, parameter.Description, required: false));
        }

        var result = new JsonObject
        {
            ["description"] = operation.Description,
            ["operationId"] = operation.OperationId,
            ["tags"] = new JsonArray(operation.Tag),
        };
        if (operation.BodyType is { } bodyType)
        {
            var contentTypes = operation.Body == OperationBody.Patch ? _patchContentTypes : ["*/*"];
            if (v3)
            {
                var content = new JsonObject();
                foreach (var contentType in contentTypes)
                {
                    content[contentType] = new JsonObject { ["schema"] = _schemas.Ref(bodyType) };
                }

                result["requestBody"] = new JsonObject { ["content"] = content, ["required"] = operation.Body != OperationBody.DeleteOptions };
            }
            else
            {
                result["consumes"] = new JsonArray([.. contentTypes.Select(c => JsonValue.Create(c))]);
                parameters.Insert(0, new JsonObject
                {
                    ["in"] = "body",
                    ["name"] = "body",
                    ["required"] = operation.Body != OperationBody.DeleteOptions,
                    ["schema"] = _schemas.Ref(bodyType),
                });
            }
        }

        if (!v3)
        {
            result["produces"] = new JsonArray([.. _responseContentTypes.Select(c => JsonValue.Create(c))]);
            result["schemes"] = new JsonArray("https");
        }

        if (parameters.Count > 0)
        {
            result["parameters"] = parameters;
        }

        result["responses"] = Responses(operation);
        result["x-kubernetes-action"] = operation.Action;
        result["x-kubernetes-group-version-kind"] = SchemaBuilder.Gvk(operation.Kind.Group, operation.Kind.Version, operation.Kind.Kind);
        return result;
    }

    private JsonObject Responses(PathOperation operation)
    {
        JsonObject Ok(string description)
        {
            if (!v3)
            {
                return new JsonObject { ["description"] = description, ["schema"] = _schemas.Ref(operation.ResponseType) };
            }

            var content = new JsonObject();
            foreach (var contentType in _responseContentTypes)
            {
                content[contentType] = new JsonObject { ["schema"] = _schemas.Ref(operation.ResponseType) };
            }

            return new JsonObject { ["description"] = description, ["content"] = content };
        }

        var responses = new JsonObject { ["200"] = Ok("OK") };
        switch (operation.Action)
        {
            case "post":
                responses["201"] = Ok("Created");
                responses["202"] = Ok("Accepted");
                break;
            case "put":
                responses["201"] = Ok("Created");
                break;
            case "patch":
                responses["201"] = Ok("Created");
                break;
            case "delete":
                responses["202"] = Ok("Accepted");
                break;
        }

        responses["401"] = new JsonObject { ["description"] = "Unauthorized" };
        return responses;
    }

    private JsonArray PathParameters(string path)
    {
        var parameters = new JsonArray();
        if (path.Contains("{name}", StringComparison.Ordinal))
        {
            parameters.Add(Parameter("name", "path", "string", "name of the object", required: true));
        }

        if (path.Contains("{namespace}", StringComparison.Ordinal))
        {
            parameters.Add(Parameter("namespace", "path", "string", "object name and auth scope, such as for teams and projects", required: true));
        }

        var pretty = QueryParameter.Pretty;
        parameters.Add(Parameter(pretty.Name, "query", pretty.Type, pretty.Description, required: false));
        return parameters;
    }

    private JsonObject Parameter(string name, string location, string type, string description, bool required)
    {
        var parameter = new JsonObject { ["description"] = description, ["in"] = location, ["name"] = name };
        if (required)
        {
            parameter["required"] = true;
        }

        if (v3)
        {
            parameter["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true };
        }
        else
        {
            parameter["type"] = type;
            parameter["uniqueItems"] = true;
        }

        return parameter;
    }
}
