using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>One entry of metadata.managedFields (metav1.ManagedFieldsEntry): a manager's fields for one operation.</summary>
internal sealed class ManagedFieldsEntry
{
    public const string Apply = "Apply";
    public const string Update = "Update";
    private const string FieldsTypeV1 = "FieldsV1";

    public required string Manager { get; init; }

    public required string Operation { get; init; }

    public string? ApiVersion { get; set; }

    public string? Time { get; set; }

    public string? Subresource { get; init; }

    public FieldSet Fields { get; set; } = new();

    /// <summary>
    /// Whether this entry is the one a write by <paramref name="owner"/> with <paramref name="operation"/> records
    /// into: Apply entries are one per manager and subresource, Update entries one per API version too.
    /// </summary>
    public bool Matches(FieldOwner owner, string operation) =>
        Manager == owner.Manager && Operation == operation && (Subresource ?? "") == (owner.Subresource ?? "")
        && (operation == Apply || ApiVersion == owner.ApiVersion);

    /// <summary>
    /// The manager as conflict messages name it: "\"kubectl\"" for an applier, "\"kube-controller-manager\" using
    /// apps/v1" for an updater, "\"kubectl\" with subresource \"scale\" using apps/v1" for one through a subresource
    /// (fieldmanager/internal/conflict.go printManager; the time is not part of it).
    /// </summary>
    public string Describe()
    {
        var name = Subresource is { Length: > 0 } ? $"\"{Manager}\" with subresource \"{Subresource}\"" : $"\"{Manager}\"";
        return Operation == Update ? $"{name} using {ApiVersion}" : name;
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
            ["apiVersion"] = ApiVersion,
            ["time"] = Time,
            ["fieldsType"] = FieldsTypeV1,
            ["fieldsV1"] = Fields.ToFieldsV1(),
        };
        if (!string.IsNullOrEmpty(Subresource))
        {
            json["subresource"] = Subresource;
        }

        return json;
    }

    /// <summary>Reads an entry a client or the store holds; 400 for one that is not an entry.</summary>
    public static ManagedFieldsEntry FromJson(JsonNode? json, int index)
    {
        if (json is not JsonObject obj || obj["manager"]?.GetValueKind() is not (null or System.Text.Json.JsonValueKind.String)
            || obj["operation"]?.GetValueKind() is not (null or System.Text.Json.JsonValueKind.String))
        {
            throw StatusException.BadRequest($"metadata.managedFields[{index}]: Invalid value: expected a managed fields entry object");
        }

        var operation = (string?)obj["operation"] ?? "";
        if (operation is not (Apply or Update))
        {
            throw StatusException.BadRequest($"metadata.managedFields[{index}].operation: Unsupported value: \"{operation}\": supported values: \"Apply\", \"Update\"");
        }

        return new ManagedFieldsEntry
        {
            Manager = (string?)obj["manager"] ?? "",
            Operation = operation,
            ApiVersion = obj["apiVersion"]?.ToString(),
            Time = obj["time"]?.ToString(),
            Subresource = obj["subresource"]?.ToString(),
            Fields = obj["fieldsV1"] is JsonObject fields ? FieldSet.FromFieldsV1(fields) : new FieldSet(),
        };
    }
}
