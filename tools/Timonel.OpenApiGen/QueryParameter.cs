namespace Timonel.OpenApiGen;

/// <summary>
/// One query parameter of an operation, named as upstream's apiserver names it (k8s.io/apimachinery meta/v1
/// ListOptions, CreateOptions, UpdateOptions, PatchOptions, DeleteOptions).
/// </summary>
internal sealed record QueryParameter(string Name, string Type, string Description)
{
    public static readonly QueryParameter Pretty = new("pretty", "string", "If 'true', then the output is pretty printed.");

    public static readonly QueryParameter DryRun = new("dryRun", "string",
        "When present, indicates that modifications should not be persisted. Valid values are: All (all dry run stages are processed).");

    public static readonly QueryParameter FieldManager = new("fieldManager", "string",
        "A name associated with the actor or entity that is making these changes.");

    // kubectl looks for this parameter on the PATCH operation of a kind to decide that the server validates fields itself
    // (k8s.io/cli-runtime/pkg/resource/query_param_verifier_v3.go, supportsQueryParamV3).
    public static readonly QueryParameter FieldValidation = new("fieldValidation", "string",
        "How the server handles fields it does not know or that are duplicated: Ignore, Warn (the default) or Strict (fail the request).");

    public static readonly QueryParameter Force = new("force", "boolean",
        "Force is going to \"force\" Apply requests: re-acquire conflicting fields owned by other people. Must be unset for non-apply patches.");

    public static readonly IReadOnlyList<QueryParameter> Write = [DryRun, FieldManager, FieldValidation];

    public static readonly IReadOnlyList<QueryParameter> Patch = [DryRun, FieldManager, FieldValidation, Force];

    public static readonly IReadOnlyList<QueryParameter> Delete =
    [
        DryRun,
        new("gracePeriodSeconds", "integer", "The duration in seconds before the object should be deleted. Zero means delete immediately."),
        new("orphanDependents", "boolean", "Deprecated: use propagationPolicy. Whether the dependent objects should be orphaned."),
        new("propagationPolicy", "string", "Whether and how garbage collection will be performed: Orphan, Background or Foreground."),
    ];

    public static readonly IReadOnlyList<QueryParameter> List =
    [
        new("allowWatchBookmarks", "boolean", "Requests watch events with type \"BOOKMARK\"."),
        new("continue", "string", "The continue token returned by a previous list call, to fetch the next chunk."),
        new("fieldSelector", "string", "A selector to restrict the list of returned objects by their fields."),
        new("labelSelector", "string", "A selector to restrict the list of returned objects by their labels."),
        new("limit", "integer", "The maximum number of responses to return for a list call."),
        new("resourceVersion", "string", "Constrains the resource versions that a request may be served from."),
        new("resourceVersionMatch", "string", "Determines how resourceVersion is applied to list calls: Exact or NotOlderThan."),
        new("sendInitialEvents", "boolean", "With watch=true, starts the watch stream with synthetic events for the current state."),
        new("timeoutSeconds", "integer", "Timeout for the list/watch call."),
        new("watch", "boolean", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications."),
    ];

    public static readonly IReadOnlyList<QueryParameter> DeleteCollection = [.. Delete, .. List.Where(p => p.Name != "watch" && p.Name != "allowWatchBookmarks")];
}
