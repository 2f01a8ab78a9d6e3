namespace Timonel.Api.Protobuf;

/// <summary>One field occurrence read from a message: a varint or fixed value in <see cref="Value"/>, or
/// for length-delimited fields the position of its bytes in the buffer.</summary>
internal readonly record struct WireField(int Number, WireType WireType, ulong Value, int Offset, int Length);
