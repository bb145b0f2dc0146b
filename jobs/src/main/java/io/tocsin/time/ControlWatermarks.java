package io.tocsin.time;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks for the control stream: it must never hold back the alert path's event time (a
 * connected operator's watermark is the minimum of its inputs, and control messages are rare), so
 * it always reports the end of time. Control messages carry their own event time ({@code at}).
 */
public final class ControlWatermarks {

    private ControlWatermarks() {}

    public static WatermarkStrategy<String> neverHoldBack() {
        return WatermarkStrategy.<String>forGenerator(
                        ctx ->
                                new WatermarkGenerator<>() {
                                    @Override
                                    public void onEvent(String e, long ts, WatermarkOutput out) {}

                                    @Override
                                    public void onPeriodicEmit(WatermarkOutput out) {
                                        out.emitWatermark(new Watermark(Long.MAX_VALUE));
                                    }
                                })
                .withTimestampAssigner((e, previous) -> previous);
    }
}
