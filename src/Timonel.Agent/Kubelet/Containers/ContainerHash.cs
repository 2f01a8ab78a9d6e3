using System.Globalization;
using System.Text;
using System.Text.Json;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// The hash of the container fields whose change means a new container (kubecontainer.HashContainer: its name and
/// image), FNV-1a 32 over their JSON, in hex as the io.kubernetes.container.hash annotation holds it.
/// </summary>
internal static class ContainerHash
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    public static string Of(V1Container container)
    {
        var fields = JsonSerializer.Serialize(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["image"] = container.Image ?? "",
            ["name"] = container.Name,
        });
        var hash = OffsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(fields))
        {
            hash = unchecked((hash ^ b) * Prime);
        }

        return hash.ToString("x", CultureInfo.InvariantCulture);
    }
}
