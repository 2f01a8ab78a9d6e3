using Xunit.Abstractions;

namespace Timonel.OpenApi.Tests;

/// <summary>The real kubectl reading these documents: explain, and apply deciding to validate fields on the server.</summary>
public sealed class KubectlTests(ITestOutputHelper log)
{
    [SkippableTheory]
    [InlineData("pod.spec.containers", "KIND:       Pod", "FIELD: containers <[]Container>", "image\t<string>")]
    [InlineData("deployment.spec", "GROUP:      apps", "FIELD: spec <DeploymentSpec>", "template\t<PodTemplateSpec>")]
    [InlineData("svc.spec.ports", "KIND:       Service", "FIELD: ports <[]ServicePort>", "targetPort\t<IntOrString>")]
    public async Task Explain_FieldPath_PrintsFieldDocs(string path, string header, string field, string subfield)
    {
        Skip.IfNot(Kubectl.Installed, "kubectl not installed");
        await using var server = await FakeApiServer.StartAsync(Served.Resources, Served.Service);

        var (exit, output, error) = await Kubectl.RunAsync(server.Url, "explain", path);
        log.WriteLine(output);

        Assert.True(exit == 0, error + string.Join('\n', server.Requests));
        Assert.Contains(header, output);
        Assert.Contains(field, output);
        Assert.Contains(subfield, output);
        Assert.Contains("DESCRIPTION:", output);
    }

    [SkippableFact]
    public async Task Apply_DefaultStrictValidation_SendsFieldValidationToServer()
    {
        Skip.IfNot(Kubectl.Installed, "kubectl not installed");
        await using var server = await FakeApiServer.StartAsync(Served.Resources, Served.Service);

        var (exit, output, error) = await Kubectl.RunAsync(server.Url, "apply", "-f", System.IO.Path.Combine(RepoPaths.Examples, "03-deployment.yaml"));

        Assert.True(exit == 0, error + string.Join('\n', server.Requests));
        Assert.Contains("created", output);
        var write = Assert.Single(server.Writes);
        Assert.StartsWith("POST /apis/apps/v1/namespaces/default/deployments?", write);
        Assert.Contains("fieldValidation=Strict", write);
        Assert.DoesNotContain(server.Requests, r => r.StartsWith("GET /openapi/v2", StringComparison.Ordinal));
    }
}
