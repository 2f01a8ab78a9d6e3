using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Apps;

/// <summary>The wide CONTAINERS, IMAGES and SELECTOR columns of the workload printers, reading the pod template at a path.</summary>
public static class WorkloadColumns
{
    public static TableColumn Containers(params string[] templatePath) =>
        new("Containers", "string", (obj, _) => TableCells.Containers(obj.At(templatePath).ArrayAt("spec", "containers")).Names, 1, "", "Names of each container in the template.");

    public static TableColumn Images(params string[] templatePath) =>
        new("Images", "string", (obj, _) => TableCells.Containers(obj.At(templatePath).ArrayAt("spec", "containers")).Images, 1, "", "Images referenced by each container in the template.");

    /// <summary>metav1.FormatLabelSelector of the selector at the path ("&lt;none&gt;" when empty).</summary>
    public static TableColumn Selector(params string[] selectorPath) =>
        new("Selector", "string", (obj, _) => LabelFormat.FormatLabelSelector(obj.At(selectorPath) as JsonObject), 1, "", "A label query over pods that should match the replica count.");

    /// <summary>An integer column read from a number field (0 when absent, as Go's zero value).</summary>
    public static TableColumn Count(string name, string description, params string[] path) =>
        new(name, "integer", (obj, _) => obj.LongAt(path) ?? 0, 0, "", description);
}
