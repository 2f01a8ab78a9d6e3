using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Timonel.Agent.Containerd.Registries;

/// <summary>
/// K3s' registries.yaml (--private-registry, /etc/timonel/registries.yaml by default): mirrors per registry host
/// (endpoints tried in order, path rewrites) and per-host configs (credentials, TLS). The "*" entry of either section
/// is the default for every registry without an entry of its own there (K3s' wildcard support).
/// </summary>
public sealed class RegistriesFile
{
    public const string DefaultPath = "/etc/timonel/registries.yaml";

    /// <summary>The entry K3s applies to every registry that has none of its own.</summary>
    public const string Wildcard = "*";

    private static readonly IDeserializer _yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    public Dictionary<string, RegistryMirror> Mirrors { get; set; } = [];

    public Dictionary<string, RegistryConfig> Configs { get; set; } = [];

    public static RegistriesFile Empty => new();

    /// <summary>Reads the file; a missing file is no registry configuration.</summary>
    /// <exception cref="FormatException">The file is not valid registries.yaml (the message names the file and position).</exception>
    public static RegistriesFile Load(string path)
    {
        if (!File.Exists(path))
        {
            return Empty;
        }

        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{path}: {ex.Message}", ex);
        }
    }

    /// <exception cref="FormatException">Not valid registries.yaml.</exception>
    public static RegistriesFile Parse(string yaml)
    {
        RegistriesFile? file;
        try
        {
            file = _yaml.Deserialize<RegistriesFile?>(yaml);
        }
        catch (YamlException ex)
        {
            throw new FormatException($"invalid registries.yaml at line {ex.Start.Line}, column {ex.Start.Column}: {(ex.InnerException ?? ex).Message}", ex);
        }

        file ??= Empty;
        file.Mirrors ??= [];
        file.Configs ??= [];
        foreach (var (host, mirror) in file.Mirrors)
        {
            foreach (var endpoint in mirror?.Endpoint ?? [])
            {
                if (RegistryEndpoint.TryParse(endpoint) is null)
                {
                    throw new FormatException($"mirrors.\"{host}\".endpoint \"{endpoint}\" is not a registry URL (such as https://mirror.example.com:5000)");
                }
            }

            if (mirror is not null)
            {
                mirror.Rewrite ??= [];
                foreach (var pattern in mirror.Rewrite.Keys)
                {
                    if (RepositoryRewrite.Problem(pattern) is { } problem)
                    {
                        throw new FormatException($"mirrors.\"{host}\".rewrite \"{pattern}\" is not a valid regular expression: {problem}");
                    }
                }
            }
        }

        return file;
    }

    /// <summary>The config for a registry host: its own entry, else the "*" one; null when neither exists.</summary>
    public RegistryConfig? ConfigFor(string host) =>
        Configs.TryGetValue(host, out var config) || Configs.TryGetValue(Wildcard, out config) ? config : null;

    /// <summary>The mirror for a registry host: its own entry (even one without endpoints), else the "*" one; null when neither exists.</summary>
    public RegistryMirror? MirrorFor(string host) =>
        Mirrors.TryGetValue(host, out var mirror) || Mirrors.TryGetValue(Wildcard, out mirror) ? mirror : null;

    /// <summary>The registry hosts named in either section, the wildcard left out.</summary>
    public IEnumerable<string> NamedHosts => Mirrors.Keys.Concat(Configs.Keys).Where(host => host != Wildcard).Distinct(StringComparer.Ordinal);
}
