package dev.augur.cuda;

import dev.augur.engine.AugurException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PackingTest {
    @Test
    void rowsArePaddedToWholeFloat4s() {
        assertThat(Packing.stride(0)).isEqualTo(4);
        assertThat(Packing.stride(1)).isEqualTo(4);
        assertThat(Packing.stride(4)).isEqualTo(4);
        assertThat(Packing.stride(5)).isEqualTo(8);
        assertThat(Packing.stride(1029)).isEqualTo(1032);
        assertThatThrownBy(() -> Packing.stride(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Packing.stride(Packing.MAX_DIM + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rowsArePackedRowMajorAsFloat32WithZeroPadding() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 0.1, 11, 12};
        FloatBuffer dst = Packing.direct(64 * 4).asFloatBuffer();
        for (int i = 0; i < 64; i++) {
            dst.put(i, -7f); // stale content that the padding must overwrite
        }
        Packing.rows(x, 1, 2, 3, 4, dst, 1); // rows 1 and 2 of a 3-wide matrix
        float[] got = new float[8];
        dst.get(0, got);
        assertThat(got).containsExactly(4f, 5f, 6f, 0f, 7f, 8f, 9f, 0f);
        Packing.rows(x, 3, 1, 3, 8, dst, 3);
        dst.get(0, got);
        assertThat(got).containsExactly(0.1f, 11f, 12f, 0f, 0f, 0f, 0f, 0f);
    }

    @Test
    void finiteValuesBeyondFloat32AreAnErrorNaNAndInfinitiesPass() {
        assertThat(Packing.toFloat(Double.NaN, 0, 0)).isNaN();
        assertThat(Packing.toFloat(Double.NEGATIVE_INFINITY, 0, 0)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Packing.toFloat(3.4e38, 0, 0)).isEqualTo(3.4e38f);
        assertThat(Packing.toFloat(1e-50, 0, 0)).isZero(); // underflow rounds to zero, as float32 arithmetic would
        assertThatThrownBy(() -> Packing.toFloat(-1e300, 12, 3))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo("22003"))
                .hasMessageStartingWith("feature value -1.0E300 at row 12, column 3 does not fit in float32");
    }

    @Test
    void weightsArePaddedPerOutput() {
        ByteBuffer bytes = Packing.weights(new double[] {1, 2, 3, 4, 5, 6}, 2, 3, 4);
        DoubleBuffer w = bytes.asDoubleBuffer();
        double[] got = new double[8];
        w.get(got);
        assertThat(got).containsExactly(1, 2, 3, 0, 4, 5, 6, 0);
        assertThat(bytes.isDirect()).isTrue();
        assertThatThrownBy(() -> Packing.weights(new double[5], 2, 3, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("weights have 5 values, a 2 x 3 map needs 6");
    }

    @Test
    void csrSlicesAreRebasedAndChecked() {
        int[] rowPtr = {0, 2, 2, 5, 6};
        int[] cols = {0, 3, 1, 2, 4, 0};
        double[] vals = {1, 2, 3, 4, 5, 6};
        Packing.Csr csr = Packing.csr(rowPtr, cols, vals, 1, 3, 5);
        assertThat(csr.rows()).isEqualTo(2);
        assertThat(csr.nnz()).isEqualTo(3);
        assertThat(ints(csr.rowPtr().asIntBuffer(), 3)).containsExactly(0, 0, 3);
        assertThat(ints(csr.cols().asIntBuffer(), 3)).containsExactly(1, 2, 4);
        float[] v = new float[3];
        csr.vals().asFloatBuffer().get(v);
        assertThat(v).containsExactly(3f, 4f, 5f);

        assertThatThrownBy(() -> Packing.csr(rowPtr, cols, vals, 0, 4, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("row 2 has feature index 4, outside 0..3");
        assertThatThrownBy(() -> Packing.csr(new int[] {4, 3}, cols, vals, 0, 1, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rowPtr[0] = 4 .. rowPtr[1] = 3 is not a range of the 6 stored values");
        assertThatThrownBy(() -> Packing.csr(new int[] {0, 3, 1, 4}, cols, vals, 0, 3, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rowPtr decreases at row 1: 3 then 1");
        assertThatThrownBy(() -> Packing.csr(new int[] {0, 9}, cols, vals, 0, 1, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a range of the 6 stored values");
        assertThatThrownBy(() -> Packing.csr(new int[] {0, 1}, new int[] {-1}, new double[] {1}, 0, 1, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("row 0 has feature index -1, outside 0..4");
    }

    private static int[] ints(IntBuffer b, int n) {
        int[] out = new int[n];
        b.get(out);
        return out;
    }
}
