using System.Text.Json.Nodes;
using Timonel.Api.Objects;

namespace Timonel.ApiServer.Tests.Registry.Validation;

/// <summary>Every valid example manifest passes validation once defaulted, as a real API server accepts it.</summary>
public sealed class ExampleValidationTests
{
    public static TheoryData<string> ExampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Validate_Example_HasNoErrors(string file)
    {
        var documents = YamlConverter.ToJsonDocuments(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", file)));

        Assert.NotEmpty(documents);
        foreach (var document in documents.OfType<JsonObject>())
        {
            var group = GroupVersion.Parse((string?)document["apiVersion"] ?? "v1").Group;
            Assert.Null(ValidationSteps.CreateMessage(group, document));
        }
    }
}
