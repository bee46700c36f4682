using System.Buffers;

namespace Mirage.Tests;

/// <summary>An <see cref="ArrayPool{T}"/> that counts what is rented and not yet returned (thread-safe: flows rent from
/// worker threads); hands out new arrays, so no data leaks between rents.</summary>
internal sealed class CountingPool<T> : ArrayPool<T>
{
    private int _rents, _outstanding;
    public int Rents => Volatile.Read(ref _rents);
    public int Outstanding => Volatile.Read(ref _outstanding);

    public override T[] Rent(int minimumLength)
    {
        Interlocked.Increment(ref _rents);
        Interlocked.Increment(ref _outstanding);
        return new T[minimumLength];
    }

    public override void Return(T[] array, bool clearArray = false) => Interlocked.Decrement(ref _outstanding);
}
