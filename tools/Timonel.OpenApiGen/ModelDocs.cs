using System.Reflection;
using System.Xml;
using System.Xml.Linq;

namespace Timonel.OpenApiGen;

/// <summary>
/// Field and type descriptions from the KubernetesClient package's XML documentation file, which carries upstream's
/// OpenAPI descriptions (wrapped at 80 columns). The file is copied next to the assembly at build time; without it the
/// generated documents would silently lose every description, so a missing file is an error.
/// </summary>
internal sealed class ModelDocs
{
    private const string TypePrefix = "T:k8s.Models.";
    private const string PropertyPrefix = "P:k8s.Models.";

    private readonly Dictionary<string, string> _summaries;

    private ModelDocs(Dictionary<string, string> summaries) => _summaries = summaries;

    public static ModelDocs Load(Assembly modelAssembly)
    {
        var path = Candidates(modelAssembly).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"the XML documentation of {modelAssembly.GetName().Name} is not next to it");
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);

        using var reader = XmlReader.Create(path, new XmlReaderSettings { IgnoreComments = true, DtdProcessing = DtdProcessing.Prohibit });
        while (reader.ReadToFollowing("member"))
        {
            var name = reader.GetAttribute("name");
            if (name is null || !(name.StartsWith(TypePrefix, StringComparison.Ordinal) || name.StartsWith(PropertyPrefix, StringComparison.Ordinal)))
            {
                continue;
            }

            var member = (XElement)XNode.ReadFrom(reader);
            var summary = member.Element("summary")?.Value;
            if (!string.IsNullOrWhiteSpace(summary))
            {
                summaries[name] = Unwrap(summary);
            }
        }

        return new ModelDocs(summaries);
    }

    public string? OfType(Type type) => _summaries.GetValueOrDefault(TypePrefix + type.Name);

    public string? OfProperty(PropertyInfo property) => _summaries.GetValueOrDefault($"{PropertyPrefix}{property.DeclaringType!.Name}.{property.Name}");

    private static IEnumerable<string> Candidates(Assembly assembly)
    {
        var file = Path.GetFileNameWithoutExtension(assembly.GetName().Name) + ".xml";
        if (!string.IsNullOrEmpty(assembly.Location))
        {
            yield return Path.ChangeExtension(assembly.Location, ".xml");
        }

        yield return Path.Combine(AppContext.BaseDirectory, file);
    }

    /// <summary>Joins the doc comment's wrapped, indented lines back into upstream's one-line text.</summary>
    private static string Unwrap(string text) =>
        string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
