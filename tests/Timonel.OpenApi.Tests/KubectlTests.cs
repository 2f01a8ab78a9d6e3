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

    // A review has no PATCH operation, so kubectl cannot have the server validate its fields: it validates them itself
    // against /openapi/v2 in protobuf (k8s.io/kubectl/pkg/validation), and sends nothing when a field is unknown.
    [SkippableTheory]
    [InlineData("", 0, "created")]
    [InlineData("  bogus: 1\n", 1, "error validating data: ValidationError(SubjectAccessReview.spec): unknown field \"bogus\" in io.k8s.api.authorization.v1.SubjectAccessReviewSpec")]
    public async Task Create_ReviewWithoutServerSideValidation_ValidatedByKubectlAgainstV2Protobuf(string extraSpec, int exitCode, string expected)
    {
        Skip.IfNot(Kubectl.Installed, "kubectl not installed");
        await using var server = await FakeApiServer.StartAsync(Served.Resources, Served.Service);
        var directory = Directory.CreateTempSubdirectory("timonel-review-");
        try
        {
            var file = System.IO.Path.Combine(directory.FullName, "review.yaml");
            await File.WriteAllTextAsync(file, "apiVersion: authorization.k8s.io/v1\nkind: SubjectAccessReview\nspec:\n  user: jane\n" + extraSpec +
                "  resourceAttributes:\n    verb: get\n    resource: pods\n");

            var (exit, output, error) = await Kubectl.RunAsync(server.Url, "create", "-f", file);

            Assert.True(exit == exitCode, output + error + string.Join('\n', server.Requests));
            Assert.Contains(expected, exitCode == 0 ? output : error);
            Assert.Contains(server.Requests, r => r.StartsWith("GET /openapi/v2", StringComparison.Ordinal) &&
                r.EndsWith(" Accept=application/com.github.proto-openapi.spec.v2@v1.0+protobuf", StringComparison.Ordinal));
            Assert.Equal(exitCode == 0 ? 1 : 0, server.Writes.Count);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
