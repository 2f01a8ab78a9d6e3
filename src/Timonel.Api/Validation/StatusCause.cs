namespace Timonel.Api.Validation;

/// <summary>
/// One cause in a Status' details, as metav1.StatusCause: <paramref name="Reason"/> is the cause type
/// (serialised as <c>reason</c>), <paramref name="Message"/> the error body, <paramref name="Field"/> the path.
/// </summary>
public sealed record StatusCause(string Reason, string Message, string Field);
