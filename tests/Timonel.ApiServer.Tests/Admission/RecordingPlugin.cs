using System.Text.Json.Nodes;
using Timonel.ApiServer.Admission;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Tests.Admission;

/// <summary>
/// A plugin that records each call ("name:Mutate:Create") into a shared log, with a copy of the object it saw, and
/// refuses when told to.
/// </summary>
internal sealed class RecordingPlugin(string name, List<string> log, AdmittedResource? resource = null, params AdmissionOperation[] operations)
    : IMutatingAdmissionPlugin, IValidatingAdmissionPlugin
{
    public string Name => name;

    public AdmittedResource? Resource => resource;

    public List<JsonObject?> Seen { get; } = [];

    public List<JsonObject?> SeenOld { get; } = [];

    public List<string?> SeenUsers { get; } = [];

    public bool RefuseValidation { get; init; }

    public bool Handles(AdmissionOperation operation) => operations.Length == 0 || operations.Contains(operation);

    public ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        Record("Mutate", attributes);
        return ValueTask.CompletedTask;
    }

    public ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        Record("Validate", attributes);
        if (RefuseValidation)
        {
            throw new StatusException(403, "Forbidden", $"refused by {name}");
        }

        return ValueTask.CompletedTask;
    }

    private void Record(string phase, AdmissionAttributes attributes)
    {
        log.Add($"{name}:{phase}:{attributes.Operation}");
        Seen.Add(attributes.Object?.DeepClone().AsObject());
        SeenOld.Add(attributes.OldObject?.DeepClone().AsObject());
        SeenUsers.Add(attributes.User?.Name);
    }
}
