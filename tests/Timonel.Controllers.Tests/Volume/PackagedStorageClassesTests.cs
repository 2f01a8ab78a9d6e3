using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Controllers.Volume;
using Timonel.Testing.Api;

namespace Timonel.Controllers.Tests.Volume;

public sealed class PackagedStorageClassesTests : IDisposable
{
    private const string RecordPath = "/api/v1/namespaces/kube-system/configmaps/timonel-packaged-storage-classes";
    private const string ClassesPath = "/apis/storage.k8s.io/v1/storageclasses";
    private readonly FakeApiServer _api = new();
    private readonly PackagedStorageClasses _deployer;

    public PackagedStorageClassesTests() => _deployer = new(_api.Client, NullLogger.Instance);

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task EnsureAsync_FirstStart_CreatesTheDefaultClassThenTheAliasesAndRecordsThem()
    {
        await _deployer.EnsureAsync(localPath: true, [new StorageClassAlias("gp2", "local-path")], CancellationToken.None);

        var created = Created();
        Assert.Equal(["local-path", "gp2"], created.Select(c => c.Metadata.Name));
        var localPath = created[0];
        Assert.Equal(("timonel.io/local-path", "WaitForFirstConsumer", "Delete", true), (localPath.Provisioner, localPath.VolumeBindingMode, localPath.ReclaimPolicy, localPath.AllowVolumeExpansion));
        Assert.Equal("true", localPath.Metadata.Annotations["storageclass.kubernetes.io/is-default-class"]);
        var alias = created[1];
        Assert.Equal(("timonel.io/local-path", "WaitForFirstConsumer", "Delete", true), (alias.Provisioner, alias.VolumeBindingMode, alias.ReclaimPolicy, alias.AllowVolumeExpansion));
        Assert.Equal("local-path", alias.Metadata.Annotations[LocalStorageClasses.AliasOfAnnotation]);
        Assert.False(alias.Metadata.Annotations.ContainsKey("storageclass.kubernetes.io/is-default-class"));
        var record = _api.Requests.Single(r => r.ToString() == "POST /api/v1/namespaces/kube-system/configmaps").BodyAs<V1ConfigMap>();
        Assert.Equal(["gp2", "local-path"], record.Data.Keys.Order());
    }

    [Fact]
    public async Task EnsureAsync_ClassesRecordedAsDeployed_LeavesThemAloneEvenWhenTheUserDeletedThem()
    {
        _api.Answer(HttpMethod.Get, RecordPath, HttpStatusCode.OK, Record(new() { ["local-path"] = "timonel.io/local-path", ["gp2"] = "timonel.io/alias-of=local-path" }));

        await _deployer.EnsureAsync(localPath: true, [new StorageClassAlias("gp2", "local-path")], CancellationToken.None);

        Assert.Equal([$"GET {RecordPath}"], _api.Calls);
    }

    [Fact]
    public async Task EnsureAsync_UsersOwnClassHasTheAliasName_KeepsItAndRecordsTheChoice()
    {
        _api.Answer(HttpMethod.Get, $"{ClassesPath}/standard", HttpStatusCode.OK, new V1StorageClass { Metadata = new V1ObjectMeta { Name = "standard" }, Provisioner = "example.com/nfs" });

        await _deployer.EnsureAsync(localPath: false, [new StorageClassAlias("standard", "local-path")], CancellationToken.None);

        Assert.Empty(Created());
        Assert.DoesNotContain(_api.Calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
        var record = _api.Requests.Single(r => r.Method == "POST").BodyAs<V1ConfigMap>();
        Assert.Equal("timonel.io/alias-of=local-path", record.Data["standard"]);
    }

    [Fact]
    public async Task EnsureAsync_AliasTargetMissing_CreatesNothingAndRecordsNothingSoTheNextStartTriesAgain()
    {
        await _deployer.EnsureAsync(localPath: false, [new StorageClassAlias("fast", "premium")], CancellationToken.None);

        Assert.Equal([$"GET {RecordPath}", $"GET {ClassesPath}/fast", $"GET {ClassesPath}/premium"], _api.Calls);
    }

    [Fact]
    public async Task EnsureAsync_AliasTargetChanged_ReplacesTheAliasItMade()
    {
        _api.Answer(HttpMethod.Get, RecordPath, HttpStatusCode.OK, Record(new() { ["gp2"] = "timonel.io/alias-of=local-path" }));
        _api.Answer(HttpMethod.Get, $"{ClassesPath}/gp2", HttpStatusCode.OK, LocalStorageClasses.AliasClass(new StorageClassAlias("gp2", "local-path"), LocalStorageClasses.LocalPathClass()));
        _api.Answer(HttpMethod.Get, $"{ClassesPath}/fast", HttpStatusCode.OK, new V1StorageClass { Metadata = new V1ObjectMeta { Name = "fast" }, Provisioner = "example.com/ssd", VolumeBindingMode = "Immediate" });

        await _deployer.EnsureAsync(localPath: false, [new StorageClassAlias("gp2", "fast")], CancellationToken.None);

        Assert.Contains($"DELETE {ClassesPath}/gp2", _api.Calls);
        var alias = Assert.Single(Created());
        Assert.Equal(("gp2", "example.com/ssd", "Immediate", "fast"), (alias.Metadata.Name, alias.Provisioner, alias.VolumeBindingMode, alias.Metadata.Annotations[LocalStorageClasses.AliasOfAnnotation]));
        Assert.Equal("timonel.io/alias-of=fast", _api.Requests.Single(r => r.Method == "PUT").BodyAs<V1ConfigMap>().Data["gp2"]);
    }

    [Fact]
    public void Aliases_UserAliasOfABuiltInName_TakesItsPlace()
    {
        var aliases = LocalStorageClasses.Aliases([new StorageClassAlias("gp2", "fast"), new StorageClassAlias("premium", "local-path")]);

        Assert.Equal(["do-block-storage", "default", "managed-csi", "gp3", "standard", "standard-rwo", "gp2", "premium"], aliases.Select(a => a.Name));
        Assert.Equal("fast", aliases.Single(a => a.Name == "gp2").Target);
    }

    private static V1ConfigMap Record(Dictionary<string, string> data) =>
        new() { Metadata = new V1ObjectMeta { Name = PackagedStorageClasses.RecordName, NamespaceProperty = "kube-system", ResourceVersion = "7" }, Data = data };

    private List<V1StorageClass> Created() =>
        [.. _api.Requests.Where(r => r.ToString() == $"POST {ClassesPath}").Select(r => r.BodyAs<V1StorageClass>())];
}
