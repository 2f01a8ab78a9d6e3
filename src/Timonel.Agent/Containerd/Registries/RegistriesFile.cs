using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Timonel.Agent.Containerd.Registries;

/// <summary>
/// K3s' registries.yaml (--private-registry, /etc/timonel/registries.yaml by default): mirrors per registry host
/// (endpoints tried in order, path rewrites) and per-host configs (credentials, TLS).
/// </summary>
public sealed class RegistriesFile
{
    public const string DefaultPath = "/etc/timonel/registries.yaml";

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
        }

        return file;
    }

    /// <summary>The config for a registry host, or null.</summary>
    public RegistryConfig? ConfigFor(string host) => Configs.TryGetValue(host, out var config) ? config : null;
}
