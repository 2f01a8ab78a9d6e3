using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>
/// Where a <see cref="EventBroadcaster"/> writes core/v1 Events (client-go's record.EventSink). Each call returns the
/// Event as stored; a patch of an Event that no longer exists returns null. A call the server refuses throws
/// <see cref="k8s.Autorest.HttpOperationException"/> (not retried); any other exception means the server could not
/// be reached (retried).
/// </summary>
public interface IEventSink
{
    Task<Corev1Event> CreateAsync(Corev1Event ev, CancellationToken cancellationToken);

    /// <summary>A strategic merge patch of the Event named as <paramref name="ev"/>.</summary>
    Task<Corev1Event?> PatchAsync(Corev1Event ev, string patch, CancellationToken cancellationToken);
}
