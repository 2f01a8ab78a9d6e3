using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Admissionregistration;

/// <summary>
/// MutatingWebhookConfigurations and ValidatingWebhookConfigurations (pkg/registry/admissionregistration/*webhookconfiguration/strategy.go):
/// no status; generation starts at 1 and counts changes to the webhooks. Stored and served; this server calls no webhook.
/// </summary>
public sealed class WebhookConfigurationStrategy : ResourceStrategyBase
{
    private readonly bool _mutating;

    public WebhookConfigurationStrategy(bool mutating) => _mutating = mutating;

    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Webhooks", "integer", (config, _) => (long)(config.ArrayAt("webhooks")?.Count ?? 0), 0, "", "Webhooks indicates the number of webhooks registered in this configuration"),
        CommonColumns.Age,
    ];

    public override void PrepareForCreate(JsonObject created) => created.Metadata()["generation"] = 1;

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        var generation = old.LongAt("metadata", "generation") ?? 1;
        updated.Metadata()["generation"] = JsonNodeExtensions.DeepEqual(updated["webhooks"], old["webhooks"]) ? generation : generation + 1;
    }

    public override void ApplyDefaults(JsonObject obj)
    {
        foreach (var webhook in obj.ArrayAt("webhooks").Objects())
        {
            AdmissionDefaults.Webhook(webhook, _mutating);
        }
    }

    public override FieldErrorList Validate(JsonObject obj) => WebhookValidation.Validate(obj, _mutating);
}
