namespace Timonel.ApiServer.Endpoints;

/// <summary>One cause of a failed request (metav1.StatusCause): reason such as FieldValueInvalid, message, field path.</summary>
public sealed record StatusCause(string Reason, string Message, string Field);
