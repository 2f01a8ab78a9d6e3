using System.Globalization;
using System.Text;

namespace Timonel.Agent.Containerd;

/// <summary>TOML values for the config files the agent writes (containerd's config.toml and hosts.toml).</summary>
internal static class Toml
{
    /// <summary>A TOML basic string, quoted and escaped.</summary>
    public static string String(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    public static string Bool(bool value) => value ? "true" : "false";

    public static string Array(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(String)) + "]";
}
