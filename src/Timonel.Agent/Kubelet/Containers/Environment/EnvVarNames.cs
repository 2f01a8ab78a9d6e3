using System.Text.RegularExpressions;

namespace Timonel.Agent.Kubelet.Containers.Environment;

/// <summary>Which names may be environment variables (validation.IsEnvVarName): envFrom skips keys that may not.</summary>
internal static partial class EnvVarNames
{
    public static bool IsValid(string name) => ValidName().IsMatch(name);

    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex ValidName();
}
