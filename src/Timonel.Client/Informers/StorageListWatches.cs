using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>List-watches of persistent volumes, their claims and storage classes (core/v1 and storage.k8s.io/v1).</summary>
public static class StorageListWatches
{
    public static ListWatch<V1PersistentVolume> PersistentVolumes(IKubernetes client) => CoreListWatches.Of<V1PersistentVolume, V1PersistentVolumeList>(
        "persistentvolumes",
        (_, cancellationToken) => client.CoreV1.ListPersistentVolumeAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.CoreV1.WatchListPersistentVolumeAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));

    public static ListWatch<V1PersistentVolumeClaim> PersistentVolumeClaims(IKubernetes client) => CoreListWatches.Of<V1PersistentVolumeClaim, V1PersistentVolumeClaimList>(
        "persistentvolumeclaims",
        (_, cancellationToken) => client.CoreV1.ListPersistentVolumeClaimForAllNamespacesAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.CoreV1.WatchListPersistentVolumeClaimForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));

    public static ListWatch<V1StorageClass> StorageClasses(IKubernetes client) => CoreListWatches.Of<V1StorageClass, V1StorageClassList>(
        "storageclasses",
        (_, cancellationToken) => client.StorageV1.ListStorageClassAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.StorageV1.WatchListStorageClassAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));
}
