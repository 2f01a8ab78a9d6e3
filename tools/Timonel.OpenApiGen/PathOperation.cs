namespace Timonel.OpenApiGen;

/// <summary>
/// One HTTP operation on one path, in the terms both OpenAPI versions need: the action and kind that kubectl reads
/// from x-kubernetes-action / x-kubernetes-group-version-kind, the query parameters, the body and the response.
/// </summary>
internal sealed record PathOperation(
    string Path,
    string Method,
    string Action,
    string OperationId,
    string Description,
    string Tag,
    (string Group, string Version, string Kind) Kind,
    IReadOnlyList<QueryParameter> Parameters,
    OperationBody Body,
    Type? BodyType,
    Type ResponseType);
