using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Controllers.Volume;

/// <summary>
/// Deploys the server's storage classes once each, as K3s' deploy controller applies a packaged manifest: what was
/// deployed is recorded (in the ConfigMap kube-system/<see cref="RecordName"/>, K3s keeps an Addon object), and a
/// class already recorded is left alone at later starts, so a user who deleted or replaced it keeps that choice. A
/// class whose name is taken by a class of the user's is not made (and that choice is recorded too). Only a changed
/// definition is deployed again: an alias whose target changed (<c>--storage-class-alias</c>) replaces the alias it
/// made earlier, never a class of the user's.
/// </summary>
public sealed class PackagedStorageClasses
{
    public const string RecordName = "timonel-packaged-storage-classes";
    public const string RecordNamespace = "kube-system";

    private readonly IKubernetes _client;
    private readonly ILogger _logger;

    public PackagedStorageClasses(IKubernetes client, ILogger logger)
    {
        _client = client;
        _logger = logger;
    }

    /// <summary>Makes <c>local-path</c> when <paramref name="localPath"/>, then <paramref name="aliases"/>, each unless recorded as deployed.</summary>
    public async Task EnsureAsync(bool localPath, IReadOnlyList<StorageClassAlias> aliases, CancellationToken cancellationToken)
    {
        var record = await OrNullAsync(() => _client.CoreV1.ReadNamespacedConfigMapAsync(RecordName, RecordNamespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var deployed = new Dictionary<string, string>(record?.Data ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var changed = false;
        var made = new Dictionary<string, V1StorageClass>(StringComparer.Ordinal);
        if (localPath)
        {
            changed |= await DeployAsync(LocalStorageClasses.LocalPath, LocalPathProvisioner.Name, deployed, made, () => Task.FromResult<V1StorageClass?>(LocalStorageClasses.LocalPathClass()), cancellationToken).ConfigureAwait(false);
        }

        foreach (var alias in aliases)
        {
            changed |= await DeployAsync(alias.Name, AliasDefinition(alias.Target), deployed, made, () => AliasAsync(alias, made, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        if (changed)
        {
            await WriteRecordAsync(record, deployed, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string AliasDefinition(string target) => LocalStorageClasses.AliasOfAnnotation + "=" + target;

    /// <summary>
    /// Deploys one class unless <paramref name="deployed"/> already has this <paramref name="definition"/> of it or
    /// a class of the user's has the name; <paramref name="build"/> answers the class to create, or null to make none
    /// yet. Answers whether the record changed.
    /// </summary>
    private async Task<bool> DeployAsync(string name, string definition, Dictionary<string, string> deployed, Dictionary<string, V1StorageClass> made, Func<Task<V1StorageClass?>> build, CancellationToken cancellationToken)
    {
        if (deployed.TryGetValue(name, out var recorded) && recorded == definition)
        {
            return false;
        }

        var existing = await OrNullAsync(() => _client.StorageV1.ReadStorageClassAsync(name, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (existing is not null && !IsAlias(existing))
        {
            deployed[name] = definition;
            return true;
        }

        if (await build().ConfigureAwait(false) is not { } storageClass)
        {
            return false;
        }

        if (existing is not null)
        {
            // A class's provisioner, parameters and policies cannot change: an alias of ours is replaced whole.
            await _client.StorageV1.DeleteStorageClassAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await _client.StorageV1.CreateStorageClassAsync(storageClass, cancellationToken: cancellationToken).ConfigureAwait(false);
            made[name] = storageClass;
            _logger.LogInformation("Created StorageClass {Name}", name);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Made meanwhile by another server or a user: theirs stands.
        }

        deployed[name] = definition;
        return true;
    }

    /// <summary>The alias to create, or none while its target is missing (tried again at the next start).</summary>
    private async Task<V1StorageClass?> AliasAsync(StorageClassAlias alias, Dictionary<string, V1StorageClass> made, CancellationToken cancellationToken)
    {
        var target = made.GetValueOrDefault(alias.Target) ?? await OrNullAsync(() => _client.StorageV1.ReadStorageClassAsync(alias.Target, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (target is null)
        {
            _logger.LogWarning("StorageClass alias {Name} not created: storageclass.storage.k8s.io \"{Target}\" not found", alias.Name, alias.Target);
            return null;
        }

        return LocalStorageClasses.AliasClass(alias, target);
    }

    private static bool IsAlias(V1StorageClass storageClass) =>
        storageClass.Metadata.Annotations?.ContainsKey(LocalStorageClasses.AliasOfAnnotation) == true;

    private async Task WriteRecordAsync(V1ConfigMap? record, Dictionary<string, string> deployed, CancellationToken cancellationToken)
    {
        if (record is null)
        {
            await _client.CoreV1.CreateNamespacedConfigMapAsync(
                new V1ConfigMap { Metadata = new V1ObjectMeta { Name = RecordName, NamespaceProperty = RecordNamespace }, Data = deployed },
                RecordNamespace,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        record.Data = deployed;
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(record, RecordName, RecordNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T?> OrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
