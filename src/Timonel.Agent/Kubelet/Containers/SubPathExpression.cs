using Timonel.Agent.Kubelet.Containers.Environment;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>A volumeMount's subPathExpr expanded against the container's environment (ExpandContainerVolumeMounts): every referenced variable must have a value.</summary>
internal static class SubPathExpression
{
    public static string Expand(string expression, IReadOnlyList<KeyValuePair<string, string>> env)
    {
        var values = env.GroupBy(pair => pair.Key).ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.Ordinal);
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var expanded = VariableExpansion.Expand(expression, name =>
        {
            if (values.TryGetValue(name, out var value) && value.Length > 0)
            {
                return value;
            }

            missing.Add(name);
            return "";
        });
        return missing.Count == 0 ? expanded : throw new ContainerConfigException($"missing value for {string.Join(", ", missing)}");
    }
}
