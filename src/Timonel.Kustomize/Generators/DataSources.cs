using Timonel.Kustomize.Loading;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Generators;

/// <summary>The key/value pairs of a generator: literals, then files, then env files (kustomize's kv loader).</summary>
internal static class DataSources
{
    public static List<(string Key, string Value)> Collect(YMap args, FileSource files)
    {
        var result = new List<(string, string)>();
        foreach (var env in Strings(args, "envs").Concat(Strings(args, "env")))
        {
            result.AddRange(ParseEnvFile(files.ReadText(env)));
        }
        foreach (var literal in Strings(args, "literals"))
        {
            var eq = literal.IndexOf('=');
            if (eq <= 0)
            {
                throw new KustomizeException($"invalid literal source {literal}, expected key=value");
            }
            result.Add((literal[..eq], Unquote(literal[(eq + 1)..])));
        }
        foreach (var file in Strings(args, "files"))
        {
            var eq = file.IndexOf('=');
            var (key, path) = eq < 0 ? (Path.GetFileName(file), file) : (file[..eq], file[(eq + 1)..]);
            result.Add((key, files.ReadText(path)));
        }
        return result;
    }

    private static IEnumerable<string> Strings(YMap args, string field) => args[field] switch
    {
        YSeq seq => seq.Items.OfType<YScalar>().Select(s => s.Value),
        YScalar { Kind: not ScalarKind.Null } s => [s.Value],
        _ => [],
    };

    // A literal value wrapped in matching quotes loses them (kv.parseLiteralSource).
    private static string Unquote(string v) =>
        v.Length >= 2 && (v[0] == '"' || v[0] == '\'') && v[^1] == v[0] ? v[1..^1] : v;

    private static IEnumerable<(string, string)> ParseEnvFile(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').TrimStart();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq < 0)
            {
                yield return (line, Environment.GetEnvironmentVariable(line) ?? "");
                continue;
            }
            yield return (line[..eq], line[(eq + 1)..]);
        }
    }
}
