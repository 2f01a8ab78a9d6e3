namespace Timonel.Agent.Kubelet.Containers.Sandbox;

/// <summary>Sysctl names in the dotted form the runtime takes (ConvertSysctlVariableToDotsSeparator): <c>net/ipv4/ip_forward</c> → <c>net.ipv4.ip_forward</c>.</summary>
internal static class Sysctls
{
    public static string DotSeparated(string name)
    {
        var first = name.IndexOfAny(['.', '/']);
        if (first < 0 || name[first] == '.')
        {
            return name;
        }

        return string.Create(name.Length, name, (chars, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                chars[i] = source[i] switch { '.' => '/', '/' => '.', var c => c };
            }
        });
    }
}
