using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// The /status subresource: only status changes; spec and metadata stay as stored
/// (upstream's *StatusStrategy.PrepareForUpdate copies the old spec over the new one). Deployments are the exception
/// upstream relies on: their status updates also write annotations (deploymentStatusStrategy keeps everything but
/// spec and labels), which is how the deployment controller sets deployment.kubernetes.io/revision without bumping
/// the generation an annotation change through the main resource would.
/// </summary>
public sealed class StatusStrategy : IResourceStrategy
{
    private readonly IResourceStrategy _main;

    public StatusStrategy(IResourceStrategy main) => _main = main;

    public IReadOnlyList<TableColumn> Columns => _main.Columns;

    public void PrepareForCreate(JsonObject created) => _main.PrepareForCreate(created);

    public void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        var status = updated["status"]?.DeepClone();
        var annotations = updated.At("metadata", "annotations")?.DeepClone();
        updated.ReplaceContent(old);
        if (_main is Apps.DeploymentStrategy)
        {
            if (annotations is null)
            {
                updated.Metadata().Remove("annotations");
            }
            else
            {
                updated.Metadata()["annotations"] = annotations;
            }
        }

        if (status is null)
        {
            updated.Remove("status");
        }
        else
        {
            updated["status"] = status;
        }
    }

    public void ApplyDefaults(JsonObject obj) => _main.ApplyDefaults(obj);

    public ValidateNameFunc NameValidation => _main.NameValidation;

    public FieldErrorList Validate(JsonObject obj) => _main.Validate(obj);

    public FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => _main.ValidateUpdate(updated, old);

    public string? GetSelectableField(JsonObject obj, string field) => _main.GetSelectableField(obj, field);
}
