using k8s.Models;

namespace Timonel.Testing.Events;

/// <summary>One event as a component recorded it.</summary>
public sealed record RecordedEvent(V1ObjectReference InvolvedObject, string Type, string Reason, string Message);
