package io.cartrecovery.serialization;

import io.cartrecovery.events.ClickEvent;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Makes Flink use {@link ClickEventSerializer} for {@link ClickEvent} wherever it meets one, once
 * {@link #SERIALIZATION_CONFIG} is in the environment's {@code pipeline.serialization-config}
 * ({@code CartRecoveryJob.configure}). The event lives in the Flink-free core, so it cannot carry
 * Flink's {@code @TypeInfo}. Without the setting Flink would take the record for a POJO and
 * serialize it field by field, slower and without a word: {@code ClickEventSerializerTest} checks
 * the job's events travel with this serializer.
 */
public final class ClickEventTypeInfoFactory extends TypeInfoFactory<ClickEvent> {

    /** The entry of {@code pipeline.serialization-config} that registers this factory. */
    public static final String SERIALIZATION_CONFIG =
            ClickEvent.class.getName()
                    + ": {type: typeinfo, class: "
                    + ClickEventTypeInfoFactory.class.getName()
                    + "}";

    /** Whether Flink already uses this factory for {@link ClickEvent} in this JVM. */
    public static boolean registered() {
        return TypeInformation.of(ClickEvent.class) instanceof SerializerTypeInfo;
    }

    @Override
    public TypeInformation<ClickEvent> createTypeInfo(
            Type type, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(ClickEvent.class, ClickEventSerializer.INSTANCE);
    }
}
