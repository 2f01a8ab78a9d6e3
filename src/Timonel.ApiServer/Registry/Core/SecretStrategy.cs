using System.Text;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Secrets (pkg/registry/core/secret/strategy.go): data only, type Opaque by default (SetDefaults_Secret), and
/// stringData folded into data as the v1 conversion does (Convert_v1_Secret_To_core_Secret), so it is never stored.
/// </summary>
public sealed class SecretStrategy : ResourceStrategyBase
{
    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Type", "string", (secret, _) => secret.StringAt("type") ?? "", 0, "", "Used to facilitate programmatic handling of secret data."),
        new("Data", "string", (secret, _) => TableCells.CountOf(secret["data"]), 0, "", "Data contains the secret data."),
        CommonColumns.Age,
    ];

    public override void ApplyDefaults(JsonObject obj)
    {
        ContainerDefaults.SetIfEmpty(obj, "type", "Opaque");
        if (obj["stringData"] is JsonObject stringData)
        {
            var data = obj.Child("data");
            foreach (var (key, value) in ObjectMetadata.StringMap(stringData))
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
            }

            obj.Remove("stringData");
        }
    }

    public override FieldErrorList Validate(JsonObject obj) => ConfigDataValidation.ValidateSecret(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => ConfigDataValidation.ValidateSecretUpdate(updated, old);

    public override string? GetSelectableField(JsonObject obj, string field) =>
        field == "type" ? obj.StringAt("type") ?? "" : null;
}
