using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry.Apps;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// PodTemplates (pkg/registry/core/podtemplate/strategy.go): no status; generation starts at 1 and counts changes
/// to the template. Validation is ValidatePodTemplate: the template as every pod template is checked, at "template".
/// </summary>
public sealed class PodTemplateStrategy : ResourceStrategyBase
{
    protected override bool HasSpecAndStatus => false;

    // printPodTemplate: no AGE column.
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        WorkloadColumns.Containers("template") with { Priority = 0 },
        WorkloadColumns.Images("template") with { Priority = 0 },
        new("Pod Labels", "string", (template, _) => LabelFormat.FormatLabels(template.ObjectAt("template", "metadata", "labels")), 0, "", "The labels for the pod template."),
    ];

    public override void PrepareForCreate(JsonObject created) => created.Metadata()["generation"] = 1;

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        var generation = old.LongAt("metadata", "generation") ?? 1;
        updated.Metadata()["generation"] = JsonNodeExtensions.DeepEqual(updated["template"], old["template"]) ? generation : generation + 1;
    }

    public override void ApplyDefaults(JsonObject obj) => PodSpecDefaults.ApplyToTemplate(obj.ObjectAt("template"));

    public override FieldErrorList Validate(JsonObject obj)
    {
        var errors = new FieldErrorList();
        PodSpecValidation.ValidateTemplate(errors, obj.ObjectAt("template"), FieldPath.Root("template"));
        return errors;
    }
}
