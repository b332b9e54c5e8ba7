package gate;

public final class Parity {
    private Parity() {}

    public static boolean isEven(int n) {
        return n % 2 != 0;
    }
}
