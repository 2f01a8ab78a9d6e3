using System.Text.Json.Nodes;
using Timonel.Api.Validation;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// The per-kind behaviour of the generic store, after upstream's RESTCreateStrategy/RESTUpdateStrategy
/// (k8s.io/apiserver/pkg/registry/rest). Objects are JSON trees; the store has already set the generic metadata.
/// </summary>
public interface IResourceStrategy
{
    /// <summary>Before a create: reset fields a client may not set (status), set generation 1.</summary>
    void PrepareForCreate(JsonObject created);

    /// <summary>Before an update: keep what the client may not change here (status), bump generation on a spec change.</summary>
    void PrepareForUpdate(JsonObject updated, JsonObject old);

    /// <summary>Fill in upstream's defaults (k8s.io/kubernetes/pkg/apis/*/v1/defaults.go).</summary>
    void ApplyDefaults(JsonObject obj);

    /// <summary>How names of this kind are checked (most kinds: DNS-1123 subdomain; namespaces, services: label).</summary>
    ValidateNameFunc NameValidation { get; }

    /// <summary>Errors in a new object beyond its metadata (which the store checks); empty when valid.</summary>
    FieldErrorList Validate(JsonObject obj);

    /// <summary>Errors in an update (including changes to immutable fields) beyond metadata; empty when valid.</summary>
    FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old);

    /// <summary>The table columns, NAME first, as upstream's printers (pkg/printers/internalversion/printers.go).</summary>
    IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>
    /// The value of a field selector field other than metadata.name/namespace (which the store handles),
    /// or null when the kind does not support that field.
    /// </summary>
    string? GetSelectableField(JsonObject obj, string field);
}
