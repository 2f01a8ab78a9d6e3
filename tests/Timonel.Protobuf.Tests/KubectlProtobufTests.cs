using System.Text.Json.Nodes;
using Timonel.Api.Protobuf;

namespace Timonel.Protobuf.Tests;

/// <summary>The real kubectl is the reference: what it POSTs as protobuf must decode to the JSON it prints for
/// the same command with --dry-run=client -o json.</summary>
public sealed class KubectlProtobufTests : IDisposable
{
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("timonel-protobuf-kubectl-").FullName;

    public static TheoryData<string[]> Commands => new()
    {
        new[] { "create", "namespace", "foo" },
        new[] { "create", "configmap", "x", "--from-literal=a=b", "--from-literal=c=d" },
        new[] { "create", "secret", "generic", "s", "--from-literal=p=q" },
        new[] { "create", "secret", "tls", "t", "--cert=" + TestFiles.CertPath, "--key=" + TestFiles.KeyPath },
        new[] { "create", "deployment", "d", "--image=nginx", "--replicas=3", "--port=80" },
        new[] { "create", "service", "clusterip", "svc", "--tcp=80:8080", "--tcp=443:https" },
        new[] { "create", "service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080" },
        new[] { "create", "job", "j", "--image=busybox", "--", "echo", "hi" },
        new[] { "create", "cronjob", "c", "--image=busybox", "--schedule=*/5 * * * *" },
        new[] { "create", "role", "r", "--verb=get,list", "--resource=pods,deployments.apps", "--resource-name=x" },
        new[] { "create", "clusterrolebinding", "crb", "--clusterrole=view", "--user=alice", "--serviceaccount=default:sa" },
        new[] { "create", "ingress", "ing", "--class=traefik", "--rule=foo.com/bar*=svc:80,tls=secret1", "--annotation=a=b" },
        new[] { "create", "poddisruptionbudget", "pdb", "--selector=app=web", "--min-available=50%" },
        new[] { "create", "priorityclass", "high", "--value=1000", "--description=important", "--preemption-policy=Never" },
        new[] { "create", "quota", "q", "--hard=cpu=1,memory=1G,pods=2", "--scopes=NotBestEffort" },
        new[] { "create", "serviceaccount", "sa" },
    };

    [SkippableTheory]
    [MemberData(nameof(Commands))]
    public async Task Decode_KubectlCreateBody_EqualsKubectlJson(string[] command)
    {
        Skip.If(Kubectl.IsMissing, $"kubectl is not installed at {Kubectl.Path}");
        await using var server = await CaptureServer.StartAsync();
        var body = await CaptureBodyAsync(server, command);

        var dryRun = await Kubectl.RunAsync(server.Url, _cacheDir, [.. command.TakeWhile(a => a != "--"), "--dry-run=client", "-o", "json", .. command.SkipWhile(a => a != "--")]);
        Assert.True(dryRun.ExitCode == 0, dryRun.Stderr);

        var expected = JsonNode.Parse(dryRun.Stdout)!;
        var decoded = KubernetesProtobuf.Decode(body);
        Assert.True(JsonNode.DeepEquals(expected, decoded), $"expected {expected.ToJsonString()}\nbut decoded {decoded.ToJsonString()}");
    }

    [SkippableTheory]
    [MemberData(nameof(Commands))]
    public async Task Encode_DecodedKubectlBody_ReproducesKubectlBytes(string[] command)
    {
        Skip.If(Kubectl.IsMissing, $"kubectl is not installed at {Kubectl.Path}");
        await using var server = await CaptureServer.StartAsync();
        var body = await CaptureBodyAsync(server, command);

        var encoded = KubernetesProtobuf.Encode(KubernetesProtobuf.Decode(body));

        Assert.Equal(Convert.ToHexString(body), Convert.ToHexString(encoded));
    }

    private async Task<byte[]> CaptureBodyAsync(CaptureServer server, string[] command)
    {
        var created = await Kubectl.RunAsync(server.Url, _cacheDir, command);
        Assert.True(created.ExitCode == 0, $"kubectl {string.Join(' ', command)} failed: {created.Stderr}");
        var request = Assert.Single(server.Requests);
        Assert.True(KubernetesProtobuf.IsProtobuf(request.ContentType), $"kubectl sent {request.ContentType}");
        return request.Body;
    }

    public void Dispose() => Directory.Delete(_cacheDir, recursive: true);
}
