using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// The DefaultTolerationSeconds plugin (plugin/pkg/admission/defaulttolerationseconds): a pod that does not tolerate
/// not-ready and unreachable nodes tolerates them for 300 seconds, on create and update, as upstream handles both.
/// </summary>
public sealed class DefaultTolerationSecondsAdmission : IMutatingAdmissionPlugin
{
    // --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds default to 300.
    public const long DefaultTolerationSeconds = 300;

    private static readonly string[] _nodeProblemTaints = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];

    public string Name => "DefaultTolerationSeconds";

    public AdmittedResource? Resource { get; } = new("", "pods");

    public bool Handles(AdmissionOperation operation) => operation is AdmissionOperation.Create or AdmissionOperation.Update;

    public ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        Admit(attributes);
        return ValueTask.CompletedTask;
    }

    private static void Admit(AdmissionAttributes attributes)
    {
        var spec = attributes.Object!.Child("spec");
        var existing = spec.ArrayAt("tolerations")?.Objects().ToList() ?? [];
        foreach (var taint in _nodeProblemTaints)
        {
            // A toleration with an empty key or effect matches every key or effect.
            var tolerated = existing.Any(t =>
                (t.StringAt("key") is null or "" || t.StringAt("key") == taint)
                && (t.StringAt("effect") is null or "" or "NoExecute"));
            if (tolerated)
            {
                continue;
            }

            if (spec["tolerations"] is not JsonArray tolerations)
            {
                tolerations = [];
                spec["tolerations"] = tolerations;
            }

            tolerations.Add(new JsonObject
            {
                ["key"] = taint,
                ["operator"] = "Exists",
                ["effect"] = "NoExecute",
                ["tolerationSeconds"] = DefaultTolerationSeconds,
            });
        }
    }
}
